"""Issue 21: a decision not to accept a complaint, with its reason (feedback columns)."""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_not_accepted'
down_revision = '0021_saved_filters'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('not_accepted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('not_accepted_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('not_accepted_detail', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.drop_column('not_accepted_detail')
        batch_op.drop_column('not_accepted_reason')
        batch_op.drop_column('not_accepted_on')
