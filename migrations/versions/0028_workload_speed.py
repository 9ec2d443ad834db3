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
- stage.case_assigned_to_id, stage.case_team_id: copies of the case's assignee and team,
  kept by triggers here (a stage written, its case reassigned or moved to another team),
  filled here from the cases. The workload's responses this quarter, by the officer the
  case is assigned to, looked up each stage's case: 36,000 look-ups at 1,000,000 records,
  400 ms on SQLite. Triggers rather than services, as the import and the benchmark's
  generator write stages with Core statements and the --update import writes them again.
- ix_stage_responded_on_feedback on (responded_on, feedback_id, started_on, number,
  case_assigned_to_id, case_team_id), in place of ix_stage_responded_on: the stages
  answered this quarter with their start and their case's officer and team (the
  workload's average days to respond), and the dashboard's stages not answered with their
  record and number, each without reading the stages.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_workload_speed'
down_revision = '0027_staff_speed'
branch_labels = None
depends_on = None

# The case's assignee and team, as a stage's copies of them.
COPIES = ("case_assigned_to_id = (SELECT assigned_to_id FROM feedback WHERE feedback.id = stage.feedback_id), "
          "case_team_id = (SELECT team_id FROM feedback WHERE feedback.id = stage.feedback_id)")
OPEN = dict(sqlite_where=sa.text("status != 'closed'"), postgresql_where=sa.text("status != 'closed'"))


def upgrade():
    with op.batch_alter_table('feedback') as batch_op:
        batch_op.add_column(sa.Column('stage_number', sa.Integer(), nullable=True))
    op.execute("UPDATE feedback SET stage_number = (SELECT max(stage.number) FROM stage "
               "WHERE stage.feedback_id = feedback.id) "
               "WHERE EXISTS (SELECT 1 FROM stage WHERE stage.feedback_id = feedback.id)")
    op.create_index('ix_feedback_open_workload', 'feedback',
                    ['assigned_to_id', 'kind', 'procedure', 'stage_number', 'due_on', 'team_id', 'status'], **OPEN)
    with op.batch_alter_table('stage') as batch_op:
        batch_op.add_column(sa.Column('case_assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('case_team_id', sa.Integer(), nullable=True))
    op.execute(f"UPDATE stage SET {COPIES}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION stage_copy_case() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "SELECT assigned_to_id, team_id INTO NEW.case_assigned_to_id, NEW.case_team_id "
                   "FROM feedback WHERE id = NEW.feedback_id; RETURN NEW; END $$")
        op.execute("CREATE TRIGGER stage_copy_case BEFORE INSERT OR UPDATE OF feedback_id ON stage "
                   "FOR EACH ROW EXECUTE FUNCTION stage_copy_case()")
        op.execute("CREATE FUNCTION feedback_copy_to_stages() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE stage SET case_assigned_to_id = NEW.assigned_to_id, case_team_id = NEW.team_id "
                   "WHERE feedback_id = NEW.id; RETURN NULL; END $$")
        op.execute("CREATE TRIGGER feedback_copy_to_stages AFTER UPDATE OF assigned_to_id, team_id ON feedback "
                   "FOR EACH ROW WHEN (OLD.assigned_to_id IS DISTINCT FROM NEW.assigned_to_id "
                   "OR OLD.team_id IS DISTINCT FROM NEW.team_id) EXECUTE FUNCTION feedback_copy_to_stages()")
    else:
        # Not named *_insert: bench/generate.py takes those for the search tables' triggers.
        op.execute(f"CREATE TRIGGER stage_copy_case AFTER INSERT ON stage BEGIN "
                   f"UPDATE stage SET {COPIES.replace('stage.feedback_id', 'new.feedback_id')} "
                   f"WHERE id = new.id; END")
        op.execute(f"CREATE TRIGGER stage_copy_case_again AFTER UPDATE OF feedback_id ON stage BEGIN "
                   f"UPDATE stage SET {COPIES.replace('stage.feedback_id', 'new.feedback_id')} "
                   f"WHERE id = new.id; END")
        op.execute("CREATE TRIGGER feedback_copy_to_stages AFTER UPDATE OF assigned_to_id, team_id ON feedback "
                   "WHEN old.assigned_to_id IS NOT new.assigned_to_id OR old.team_id IS NOT new.team_id BEGIN "
                   "UPDATE stage SET case_assigned_to_id = new.assigned_to_id, case_team_id = new.team_id "
                   "WHERE feedback_id = new.id; END")
    op.create_index('ix_stage_responded_on_feedback', 'stage',
                    ['responded_on', 'feedback_id', 'started_on', 'number', 'case_assigned_to_id', 'case_team_id'])
    op.drop_index('ix_stage_responded_on', table_name='stage')


def downgrade():
    op.create_index('ix_stage_responded_on', 'stage', ['responded_on'])
    op.drop_index('ix_stage_responded_on_feedback', table_name='stage')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER feedback_copy_to_stages ON feedback")
        op.execute("DROP TRIGGER stage_copy_case ON stage")
        op.execute("DROP FUNCTION feedback_copy_to_stages()")
        op.execute("DROP FUNCTION stage_copy_case()")
    else:
        for name in ("feedback_copy_to_stages", "stage_copy_case_again", "stage_copy_case"):
            op.execute(f"DROP TRIGGER {name}")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later), not a batch: a batch
    # makes the table again from what it reflects, which leaves out the expression indexes
    # and the search tables' triggers on feedback.
    op.drop_column('stage', 'case_team_id')
    op.drop_column('stage', 'case_assigned_to_id')
    op.drop_index('ix_feedback_open_workload', table_name='feedback')
    op.drop_column('feedback', 'stage_number')
