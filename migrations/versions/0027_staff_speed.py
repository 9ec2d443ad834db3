"""Issue 23 (staff pages that do not grow with the whole table): indexes so that the
dashboard, the person page and a person's data-protection page read what they show, not
every record.

- ix_feedback_open_due_on, ix_feedback_open_kind, ix_feedback_open_acknowledge_by: the
  dashboard's counts of the records not closed (due this week, overdue, open initial
  contacts, acknowledgements due and overdue), each counted from one index alone. They
  hold only the records not closed, the condition written as the inbox writes it
  (``status != 'closed'``, a constant), and the team, so that a team manager's counts read
  them too; and the status, without which SQLite reads each record to check it. The
  workload counts each officer's open records, and their due dates, from
  ix_feedback_open_kind (its officer and due date columns are for that). At 1,000,000
  records the dashboard took 1,206 ms on SQLite and 412 ms on PostgreSQL, counting open
  initial contacts through every initial contact and the overdue through every due date,
  each checked against its record.
- ix_feedback_received_on_id on (received_on, id), in place of ix_feedback_received_on:
  the inbox's first page in the order of an index on PostgreSQL (11.4 to 0.85 ms of SQL
  at 1,000,000 records), where it gathered and sorted. SQLite's index on received_on gave
  that order already (an index's rows are kept by id there); the one index serves both.
- ix_feedback_on_behalf_of_name on lower(trim(on_behalf_of_name)): the records written for
  someone of a person's name, on their data-protection page (1,621 ms on SQLite, a scan).
- ix_person_lower_name on lower(name): a person's possible duplicates by name, which on
  SQLite no index answered.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_staff_speed'
down_revision = '0026_child_more'
branch_labels = None
depends_on = None


def _where(condition: str) -> dict:
    return dict(sqlite_where=sa.text(condition), postgresql_where=sa.text(condition))


OPEN = _where("status != 'closed'")


def upgrade():
    op.create_index('ix_feedback_open_due_on', 'feedback', ['due_on', 'team_id', 'status'], **OPEN)
    op.create_index('ix_feedback_open_kind', 'feedback', ['kind', 'procedure', 'team_id', 'status', 'assigned_to_id', 'due_on'], **OPEN)
    op.create_index('ix_feedback_open_acknowledge_by', 'feedback', ['acknowledge_by', 'team_id', 'status'],
                    **_where("status != 'closed' AND acknowledge_by IS NOT NULL"))
    op.create_index('ix_feedback_received_on_id', 'feedback', ['received_on', 'id'])
    op.drop_index('ix_feedback_received_on', table_name='feedback')
    op.create_index('ix_feedback_on_behalf_of_name', 'feedback', [sa.text("lower(trim(on_behalf_of_name))")],
                    **_where("on_behalf_of_name IS NOT NULL"))
    op.create_index('ix_person_lower_name', 'person', [sa.text("lower(name)")])


def downgrade():
    op.drop_index('ix_person_lower_name', table_name='person')
    op.drop_index('ix_feedback_on_behalf_of_name', table_name='feedback')
    op.create_index('ix_feedback_received_on', 'feedback', ['received_on'])
    op.drop_index('ix_feedback_received_on_id', table_name='feedback')
    op.drop_index('ix_feedback_open_acknowledge_by', table_name='feedback')
    op.drop_index('ix_feedback_open_kind', table_name='feedback')
    op.drop_index('ix_feedback_open_due_on', table_name='feedback')
