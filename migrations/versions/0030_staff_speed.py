"""Issue 23 (the dashboard and the inbox at 1,000,000 records): the open records counted
by team and due date as they change, and the inbox of one team's open records in due
order from an index.

- open_record_count: for each team (team_key, 0 for none) and due date (due_key,
  9999-12-31 for none), how many records are not closed and how many of those are
  initial contacts in no procedure; kept by triggers on feedback as a record is added,
  removed, or changes its status, team, due date, kind or procedure, whoever writes it
  (the services, the import, the bench's generator, a Core statement), filled here from
  the records. The dashboard's overdue, due this week and open initial contacts are sums
  of these rows for someone who sees every record or one team's: counting them read every
  open record's index entry, 192,000 and 100,000 of them at 1,000,000 records (14 to 25 ms
  of each dashboard on PostgreSQL). A row goes when its count falls to 0, so the table
  holds a row for each team and due date that some open record has.
  On PostgreSQL a change takes the row of its team and due date until it commits (two
  changes of records with the same team and due date wait for each other); a record's
  move from one row to another updates the two in the order of their keys, so that two
  moves the opposite ways wait rather than deadlock.
- ix_feedback_team_due_order on (team_id, coalesce(due_on, '9999-12-31'), id) of the
  records not closed: one team's open records due soonest (the inbox filtered by team,
  sorted by due date) read in that order from the index, as ix_feedback_due_order gives
  every team's. SQLite chose the dashboard's index on (due_on, team_id, status) instead,
  read all of the team's 12,500 open records and sorted them (53 to 77 ms at 1,000,000).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0030_staff_speed'
down_revision = '0029_report_page'
branch_labels = None
depends_on = None

OPEN = dict(sqlite_where=sa.text("status != 'closed'"), postgresql_where=sa.text("status != 'closed'"))

# The counts as they stand (also bench/generate.py's, after a fill with the triggers aside).
RECOUNT = ("INSERT INTO open_record_count (team_key, due_key, records, initial_contacts) "
           "SELECT coalesce(team_id, 0), coalesce(due_on, '9999-12-31'), count(*), "
           "sum(CASE WHEN kind = 'initial_contact' AND procedure IS NULL THEN 1 ELSE 0 END) "
           "FROM feedback WHERE status != 'closed' GROUP BY coalesce(team_id, 0), coalesce(due_on, '9999-12-31')")

# A record's row, and what it adds to it, in the words of one side of a change (old or new).
KEY = "team_key = coalesce({r}.team_id, 0) AND due_key = coalesce({r}.due_on, '9999-12-31')"
INITIAL = "CASE WHEN {r}.kind = 'initial_contact' AND {r}.procedure IS NULL THEN 1 ELSE 0 END"
CHANGED = ("{o}.status IS DISTINCT FROM {n}.status OR {o}.team_id IS DISTINCT FROM {n}.team_id "
           "OR {o}.due_on IS DISTINCT FROM {n}.due_on OR {o}.kind IS DISTINCT FROM {n}.kind "
           "OR {o}.procedure IS DISTINCT FROM {n}.procedure")

TRIGGERS = ("feedback_open_count_added", "feedback_open_count_removed", "feedback_open_count_changed")


def _sqlite_add(r: str, when: str) -> str:
    return (f"INSERT INTO open_record_count (team_key, due_key, records, initial_contacts) "
            f"SELECT coalesce({r}.team_id, 0), coalesce({r}.due_on, '9999-12-31'), 1, {INITIAL.format(r=r)} "
            f"WHERE {when} ON CONFLICT (team_key, due_key) DO UPDATE SET records = records + 1, "
            f"initial_contacts = initial_contacts + excluded.initial_contacts;")


def _sqlite_take(r: str, when: str) -> str:
    key = KEY.format(r=r)
    return (f"UPDATE open_record_count SET records = records - 1, "
            f"initial_contacts = initial_contacts - {INITIAL.format(r=r)} WHERE {when} AND {key}; "
            f"DELETE FROM open_record_count WHERE {when} AND {key} AND records = 0;")


def upgrade():
    op.create_table(
        'open_record_count',
        sa.Column('team_key', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('due_key', sa.Date(), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('initial_contacts', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('team_key', 'due_key', name=op.f('pk_open_record_count')),
    )
    op.execute(RECOUNT)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION feedback_open_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  taken boolean := false;  -- the record counted before the change
  added boolean := false;  -- and after it
  old_key text;
  new_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN taken := OLD.status <> 'closed'; END IF;
  IF TG_OP <> 'DELETE' THEN added := NEW.status <> 'closed'; END IF;
  IF taken THEN old_key := lpad(coalesce(OLD.team_id, 0)::text, 12, '0') || coalesce(OLD.due_on, '9999-12-31')::text; END IF;
  IF added THEN new_key := lpad(coalesce(NEW.team_id, 0)::text, 12, '0') || coalesce(NEW.due_on, '9999-12-31')::text; END IF;
  -- Into the new row first when it comes before the old one in key order, else out of
  -- the old one first: two moves the opposite ways then take the two rows in one order.
  IF added AND (NOT taken OR new_key < old_key) THEN
    INSERT INTO open_record_count AS c (team_key, due_key, records, initial_contacts)
    VALUES (coalesce(NEW.team_id, 0), coalesce(NEW.due_on, '9999-12-31'), 1, {INITIAL.format(r='NEW')})
    ON CONFLICT (team_key, due_key) DO UPDATE
    SET records = c.records + 1, initial_contacts = c.initial_contacts + excluded.initial_contacts;
    added := false;
  END IF;
  IF taken THEN
    UPDATE open_record_count SET records = records - 1, initial_contacts = initial_contacts - {INITIAL.format(r='OLD')}
    WHERE {KEY.format(r='OLD')};
    DELETE FROM open_record_count WHERE {KEY.format(r='OLD')} AND records = 0;
  END IF;
  IF added THEN
    INSERT INTO open_record_count AS c (team_key, due_key, records, initial_contacts)
    VALUES (coalesce(NEW.team_id, 0), coalesce(NEW.due_on, '9999-12-31'), 1, {INITIAL.format(r='NEW')})
    ON CONFLICT (team_key, due_key) DO UPDATE
    SET records = c.records + 1, initial_contacts = c.initial_contacts + excluded.initial_contacts;
  END IF;
  RETURN NULL;
END $$""")
        # Records added or removed are counted once a statement, from the statement's rows
        # (a transition table): the import and the bench's generator write feedback by
        # COPY, a row trigger's upsert for each open record made an import of 50,000
        # records some 15% slower. A change of one record (below) is counted as it goes.
        # Rows are taken in key order, as in the function above.
        key = "coalesce(team_id, 0), coalesce(due_on, '9999-12-31')"
        named = "coalesce(team_id, 0) AS team_key, coalesce(due_on, '9999-12-31') AS due_key"
        op.execute(f"""CREATE FUNCTION feedback_open_count_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO open_record_count AS c (team_key, due_key, records, initial_contacts)
  SELECT {key}, count(*), sum({INITIAL.format(r='added')}) FROM added WHERE status <> 'closed'
  GROUP BY {key} ORDER BY {key}
  ON CONFLICT (team_key, due_key) DO UPDATE
  SET records = c.records + excluded.records, initial_contacts = c.initial_contacts + excluded.initial_contacts;
  RETURN NULL;
END $$""")
        op.execute(f"""CREATE FUNCTION feedback_open_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE open_record_count c SET records = c.records - gone.records,
    initial_contacts = c.initial_contacts - gone.initial_contacts
  FROM (SELECT {named}, count(*) AS records, sum({INITIAL.format(r='removed')}) AS initial_contacts
        FROM removed WHERE status <> 'closed' GROUP BY {key}) AS gone
  WHERE c.team_key = gone.team_key AND c.due_key = gone.due_key;
  DELETE FROM open_record_count c
  USING (SELECT DISTINCT {key} FROM removed WHERE status <> 'closed') AS gone (team_key, due_key)
  WHERE c.team_key = gone.team_key AND c.due_key = gone.due_key AND c.records = 0;
  RETURN NULL;
END $$""")
        op.execute("CREATE TRIGGER feedback_open_count_added AFTER INSERT ON feedback REFERENCING NEW TABLE AS added "
                   "FOR EACH STATEMENT EXECUTE FUNCTION feedback_open_count_added()")
        op.execute("CREATE TRIGGER feedback_open_count_removed AFTER DELETE ON feedback REFERENCING OLD TABLE AS removed "
                   "FOR EACH STATEMENT EXECUTE FUNCTION feedback_open_count_removed()")
        op.execute("CREATE TRIGGER feedback_open_count_changed AFTER UPDATE OF status, team_id, due_on, kind, "
                   f"procedure ON feedback FOR EACH ROW WHEN ({CHANGED.format(o='OLD', n='NEW')}) "
                   "EXECUTE FUNCTION feedback_open_count()")
    else:
        # Not named *_insert: bench/generate.py takes those for the search tables' triggers.
        op.execute("CREATE TRIGGER feedback_open_count_added AFTER INSERT ON feedback "
                   f"WHEN new.status != 'closed' BEGIN {_sqlite_add('new', 'true')} END")
        op.execute("CREATE TRIGGER feedback_open_count_removed AFTER DELETE ON feedback "
                   f"WHEN old.status != 'closed' BEGIN {_sqlite_take('old', 'true')} END")
        changed = CHANGED.format(o="old", n="new").replace("IS DISTINCT FROM", "IS NOT")
        op.execute("CREATE TRIGGER feedback_open_count_changed AFTER UPDATE OF status, team_id, due_on, kind, "
                   f"procedure ON feedback WHEN {changed} BEGIN "
                   f"{_sqlite_take('old', 'old.status != ' + repr('closed'))} "
                   f"{_sqlite_add('new', 'new.status != ' + repr('closed'))} END")
    op.create_index('ix_feedback_team_due_order', 'feedback',
                    ['team_id', sa.text("coalesce(due_on, '9999-12-31')"), 'id'], **OPEN)


def downgrade():
    op.drop_index('ix_feedback_team_due_order', table_name='feedback')
    if op.get_bind().dialect.name == "postgresql":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON feedback")
        for function in ("feedback_open_count", "feedback_open_count_added", "feedback_open_count_removed"):
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('open_record_count')
