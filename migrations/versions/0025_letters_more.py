"""Issue 18: an extension is recorded first and the person told by the extension notice
from the letters page, so how and when they were told is empty until it goes."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_letters_more'
down_revision = '0023_not_accepted'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stage_extension') as batch_op:
        batch_op.alter_column('told_by', existing_type=sa.String(length=10), nullable=True)
        batch_op.alter_column('told_on', existing_type=sa.Date(), nullable=True)


def downgrade():
    # The old schema cannot say "not told yet": such an extension becomes one told by
    # letter on its stage's start.
    op.execute("UPDATE stage_extension SET told_by = 'letter' WHERE told_by IS NULL")
    op.execute("UPDATE stage_extension SET told_on = (SELECT stage.started_on FROM stage "
               "WHERE stage.id = stage_extension.stage_id) WHERE told_on IS NULL")
    with op.batch_alter_table('stage_extension') as batch_op:
        batch_op.alter_column('told_by', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('told_on', existing_type=sa.Date(), nullable=False)
