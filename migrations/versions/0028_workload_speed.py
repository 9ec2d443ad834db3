"""Issue 23 (the workload at 1,000,000 records): each record keeps its latest stage's
number.

- feedback.stage_number: the number of the record's latest stage, kept by
  deadlines.refresh with the due dates (None before Stage 1), filled here from the stages.
  The workload counted open complaints by stage with a look-up of each one's stages.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_workload_speed'
down_revision = '0027_staff_speed'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('stage_number', sa.Integer(), nullable=True))
    op.execute("UPDATE feedback SET stage_number = (SELECT max(stage.number) FROM stage "
               "WHERE stage.feedback_id = feedback.id) "
               "WHERE EXISTS (SELECT 1 FROM stage WHERE stage.feedback_id = feedback.id)")


def downgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.drop_column('stage_number')
