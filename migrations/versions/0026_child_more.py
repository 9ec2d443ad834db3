"""Issue 20 (speed): the inbox sorted by due date ("Due soonest", "My open Stage 1s") in
the order of an index, ix_feedback_due_order on (coalesce(due_on, '9999-12-31'), id): the
order the list uses, records with no due date last. Without it a filtered list sorted
so read every record the filter matched and sorted them (1.4 s for one team's open
cases at 1,000,000 records, on SQLite); with it the first rows in that order are read
until a page is full."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026_child_more'
down_revision = '0024_mail_in'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_feedback_due_order', 'feedback', [sa.text("coalesce(due_on, '9999-12-31')"), 'id'],
                    sqlite_where=sa.text("status != 'closed'"), postgresql_where=sa.text("status != 'closed'"))


def downgrade():
    op.drop_index('ix_feedback_due_order', table_name='feedback')
