"""Issue 23 (the workload at 1,000,000 records): each record keeps its latest stage's
number, and two indexes let the workload read what it counts.

- feedback.stage_number: the number of the record's latest stage, kept by
  deadlines.refresh with the due dates (None before Stage 1), filled here from the stages.
  The workload counted open complaints by stage with a look-up of each one's stages.
- ix_feedback_open_workload on (assigned_to_id, kind, procedure, stage_number, due_on,
  team_id, status), of the records not closed: the workload's counts of each officer's
  open cases by where they are, due this week and overdue, in one statement read from
  the index alone in the order it groups them, as everyone or one team sees them. SQLite
  read every record through the index on the officer (3 s at 1,000,000 records).
- ix_stage_responded_on_feedback on (responded_on, feedback_id, started_on, number), in
  place of ix_stage_responded_on: the stages answered this quarter with their record and
  start (the workload's average days to respond), and the dashboard's stages not answered
  with their record and number, without reading each stage.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_workload_speed'
down_revision = '0027_staff_speed'
branch_labels = None
depends_on = None

OPEN = dict(sqlite_where=sa.text("status != 'closed'"), postgresql_where=sa.text("status != 'closed'"))


def upgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('stage_number', sa.Integer(), nullable=True))
    op.execute("UPDATE feedback SET stage_number = (SELECT max(stage.number) FROM stage "
               "WHERE stage.feedback_id = feedback.id) "
               "WHERE EXISTS (SELECT 1 FROM stage WHERE stage.feedback_id = feedback.id)")
    op.create_index('ix_feedback_open_workload', 'feedback',
                    ['assigned_to_id', 'kind', 'procedure', 'stage_number', 'due_on', 'team_id', 'status'], **OPEN)
    op.create_index('ix_stage_responded_on_feedback', 'stage', ['responded_on', 'feedback_id', 'started_on', 'number'])
    op.drop_index('ix_stage_responded_on', table_name='stage')


def downgrade():
    op.create_index('ix_stage_responded_on', 'stage', ['responded_on'])
    op.drop_index('ix_stage_responded_on_feedback', table_name='stage')
    op.drop_index('ix_feedback_open_workload', table_name='feedback')
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.drop_column('stage_number')
