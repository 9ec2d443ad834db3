"""The schema the migrations make is the one the models declare, and the portal's queries
can use feedback's partial indexes (migration 0010).

A partial index serves a query only when the database can tell that the query's condition
implies the index's: PostgreSQL by its rules of inference, SQLite only by finding the same
term. Reword either (``safeguarding_concern.is_(True)`` as ``== True``, say) and the query
silently reads every row instead, so the queries are checked here as the services send
them, on a table that is mostly closed records, as a real one is.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, insert, text

from portal.extensions import db
from portal.models import Feedback, StaffUser
from portal.services.triage import dashboard, inbox, workload
from portal.services.triage.inbox import InboxFilters
from tests.databases import drop_database, new_database
from tests.work_done import statements_sent

TODAY = date(2026, 11, 26)
ACTIONED = datetime(2026, 11, 26, 12, tzinfo=UTC)

# Made only by migration 0008, for the search on SQLite: no model declares them.
SEARCH_TABLES = ("feedback_search", "person_search", "child_search")


def _index_definitions(conn) -> dict[str, str]:
    """Every index on a table the models declare, by name: its whole definition as the
    database holds it (columns, uniqueness, method, partial condition)."""
    tables = set(db.metadata.tables)
    if conn.dialect.name == "postgresql":
        rows = conn.execute(text("SELECT tablename, indexname, indexdef FROM pg_indexes "
                                 "WHERE schemaname = current_schema()"))
    else:
        rows = conn.execute(text("SELECT tbl_name, name, sql FROM sqlite_master "
                                 "WHERE type = 'index' AND sql IS NOT NULL"))
    return {name: definition for table, name, definition in rows if table in tables}


def _models_schema_indexes(database_url: str, tmp_path) -> dict[str, str]:
    """The index definitions of an empty database made from the models alone."""
    if not database_url.startswith("postgresql"):
        engine = create_engine(f"sqlite:///{tmp_path / 'models.sqlite3'}")
        try:
            db.metadata.create_all(engine)
            with engine.connect() as conn:
                return _index_definitions(conn)
        finally:
            engine.dispose()
    models = new_database(database_url, "models")
    try:
        engine = create_engine(models)
        try:
            with engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            db.metadata.create_all(engine)
            with engine.connect() as conn:
                return _index_definitions(conn)
        finally:
            engine.dispose()
    finally:
        drop_database(models)


def test_the_migrations_make_the_schema_the_models_declare(app, database_url, tmp_path):
    with db.engine.connect() as conn:
        with warnings.catch_warnings():
            # Alembic cannot compare the trigram indexes (an expression with an operator
            # class) and says so; the index definitions below compare them.
            warnings.simplefilter("ignore")
            differences = compare_metadata(MigrationContext.configure(conn), db.metadata)
        migrated = _index_definitions(conn)
    differences = [d for d in differences
                   if not (d[0] == "remove_table" and d[1].name.startswith(SEARCH_TABLES))]
    assert _without_respelt_expressions(differences) == []
    # Alembic does not compare partial indexes' conditions: compare each definition with
    # that of a database made from the models.
    assert migrated == _models_schema_indexes(database_url, tmp_path)


def _without_respelt_expressions(differences: list) -> list:
    """Alembic compares an index on an expression by the expression's text, and
    PostgreSQL gives some back respelt (``trim(x)`` as ``TRIM(BOTH FROM x)``), so such an
    index shows as removed and added under one name. The index definitions compared
    after this are the check of those."""
    def named(kind):
        return {d[1].name for d in differences if d[0] == kind}

    respelt = named("remove_index") & named("add_index")
    return [d for d in differences if not (d[0] in ("remove_index", "add_index") and d[1].name in respelt)]


def _one(sent, *words, but_not: str | None = None) -> tuple[str, object]:
    found = [(s, p) for s, p in sent if all(w in s for w in words) and not (but_not and but_not in s)]
    assert len(found) == 1, (words, [s for s, _ in sent])
    return found[0]


def _records(n: int = 3000) -> list[dict]:
    """Mostly closed records, as an imported history is: 2% new and 6% open, those with a
    due date; 1% flagged as safeguarding, most of those actioned."""
    rows = []
    for i in range(n):
        status = "new" if i % 50 == 0 else "open" if i % 50 < 4 else "closed"
        rows.append(dict(
            reference=f"CF-{i:06d}", kind="initial_contact", status=status,
            received_on=TODAY - timedelta(days=(n - i) % 2400), channel="email",
            submitter_role="parent_or_carer", summary=f"Summary {i}",
            due_on=TODAY + timedelta(days=i % 40 - 20) if status != "closed" else None,
            safeguarding_concern=i % 100 == 7,
            safeguarding_actioned_at=ACTIONED if i % 100 == 7 and i % 300 != 7 else None,
        ))
    return rows


def _plan(conn, statement: str, parameters) -> str:
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters)
        return "\n".join(r[0] for r in rows)
    rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    return "\n".join(r[-1] for r in rows)


def _plans_among(records: list[dict], statements: list[tuple[str, object]]) -> list[str]:
    """Each statement's plan with ``records`` in feedback, all undone after (and on
    PostgreSQL its statistics taken of them, undone with the rest)."""
    db.session.remove()
    with db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(insert(Feedback.__table__), records)
            if conn.dialect.name == "postgresql":
                conn.execute(text("ANALYZE feedback"))
            return [_plan(conn, *statement) for statement in statements]
        finally:
            transaction.rollback()


def _sent_with_one_waiting(run) -> list[tuple[str, object]]:
    """``statements_sent(run)`` with one safeguarding concern waiting, taken away after: with none,
    the list of the oldest is not asked for."""
    savepoint = db.session.begin_nested()
    db.session.add(Feedback(**dict(_records(1)[0], reference="CF-WAITING", safeguarding_concern=True)))
    db.session.flush()
    try:
        return statements_sent(run)
    finally:
        savepoint.rollback()


def test_the_dashboard_and_inbox_use_feedback_partial_indexes(app):
    user = StaffUser(email="officer@example.org", name="Olu Officer", role="feedback_officer", active=True)
    db.session.add(user)
    db.session.commit()
    board = statements_sent(lambda: dashboard.build(user, TODAY))
    flagged = ("ix_feedback_safeguarding_actioned_at", "ix_feedback_safeguarding_received_on")
    NEW_RECORDS = ("ix_feedback_status_received_on", "ix_feedback_open_kind")  # either holds the status
    expected = [  # (the indexes any of which serves, the statement)
        # The unactioned safeguarding concerns, above the inbox and on the dashboard: how
        # many, then the oldest in date order.
        (flagged[:1], statements_sent(lambda: inbox.unactioned_safeguarding(user))[0]),
        (flagged, _one(_sent_with_one_waiting(lambda: inbox.unactioned_safeguarding(user, 10)),
                       "ORDER BY feedback.received_on")),
        # The open records due soonest ("My open Stage 1s" is sorted so), in the order of
        # the index of the records not closed (migration 0026).
        (("ix_feedback_due_order",),
         statements_sent(lambda: inbox.search(user, InboxFilters(status="open", sort="due"), TODAY))[0]),
        # The inbox filtered on safeguarding, newest first (its first statement is the
        # page): with few flagged records, PostgreSQL may as well sort them.
        (flagged, statements_sent(lambda: inbox.search(user, InboxFilters(safeguarding=True), TODAY))[0]),
        # The inbox filtered on new records, and the dashboard's count of them. With these
        # few records PostgreSQL may as well read the new ones from the index of the open
        # records (migration 0027, which holds the status) and sort them.
        (NEW_RECORDS, statements_sent(lambda: inbox.search(user, InboxFilters(status="new"), TODAY))[0]),
        # The dashboard's counts, one statement: the new records (above), and of the
        # records not closed (migration 0027) the acknowledgements due and overdue, each
        # a subquery of its own. (Overdue, due this week and open initial contacts are
        # sums of the counts kept by team and due date for this officer: below.)
        (NEW_RECORDS, _one(board, "count(", "feedback.status =")),
        (("ix_feedback_open_acknowledge_by",), _one(board, "count(", "acknowledge_by IS NOT NULL")),
    ]
    plans = zip([indexes for indexes, _ in expected], _plans_among(_records(), [sent for _, sent in expected]))
    for indexes, plan in plans:
        assert any(index in plan for index in indexes), plan
    # Overdue, due this week and open initial contacts: sums of the counts kept by team
    # and due date (migration 0030) in that statement; no record's due date is counted.
    counts = _one(board, "open_record_count")
    assert "acknowledge_by <" in counts[0] and "feedback.status =" in counts[0]
    assert not [sent for sent, _ in board if "feedback.due_on <" in sent or "feedback.kind =" in sent], board


def test_one_teams_open_records_due_soonest_are_read_in_the_order_of_their_index(app):
    """The inbox filtered by team, open, sorted by due date (migration 0030): SQLite read
    every open record of the team through the dashboard's index of due dates and sorted
    them. (PostgreSQL sorts a team's 30 open records here, as it may: at 1,000,000
    records it reads the index.)"""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("with this few records PostgreSQL may as well sort them")
    user = StaffUser(email="officer@example.org", name="Olu Officer", role="feedback_officer", active=True)
    db.session.add(user)
    db.session.commit()
    page = _one(statements_sent(lambda: inbox.search(user, InboxFilters(team_id=3, status="open", sort="due"), TODAY)),
                "feedback.team_id =", "ORDER BY")
    records = [dict(record, team_id=1 + i % 16) for i, record in enumerate(_records(6000))]
    [plan] = _plans_among(records, [page])
    assert "ix_feedback_team_due_order" in plan, plan


def test_the_dashboard_counts_the_open_records_as_everyone_else_does_for_an_assignee(app):
    """Someone who sees only the records assigned to them or with a stage they are
    appointed to has no kept count by team: their dashboard counts those records, as
    before migration 0030, and reads no kept count."""
    user = StaffUser(email="io@example.org", name="Ina Investigator", role="investigating_officer", active=True)
    db.session.add(user)
    db.session.commit()
    board = statements_sent(lambda: dashboard.build(user, TODAY))
    assert not [sent for sent in board if "open_record_count" in sent[0]]
    counts = _one(board, "count(", "feedback.due_on <", "feedback.due_on >=", "feedback.kind =")[0]
    assert "feedback.assigned_to_id" in counts


# Migration 0027's indexes (issue 23): name, and what its definition must say.
STAFF_SPEED_INDEXES = {
    "ix_feedback_open_due_on": ("due_on", "team_id", "status", "closed"),
    "ix_feedback_open_kind": ("kind", "procedure", "team_id", "status", "assigned_to_id", "due_on", "closed"),
    "ix_feedback_open_acknowledge_by": ("acknowledge_by", "team_id", "status", "closed", "IS NOT NULL"),
    "ix_feedback_received_on_id": ("received_on", "id"),
    "ix_feedback_on_behalf_of_name": ("lower(", "on_behalf_of_name", "IS NOT NULL"),
    "ix_person_lower_name": ("lower(", "name"),
    # Migration 0029: themes over time by theme, and its share of texts by number.
    "ix_feedback_kind_received_on_theme": ("kind", "received_on", "theme_id", "id"),
    # Migration 0029: the report's examples of compliments that may be shown.
    "ix_feedback_shareable": ("kind", "received_on", "id", "publish_consent", "anonymised_text IS NOT NULL"),
    # Migration 0030: one team's open records due soonest.
    "ix_feedback_team_due_order": ("team_id", "due_on", "9999-12-31", "id", "closed"),
}


def test_the_migrations_make_the_staff_pages_indexes(app):
    with db.engine.connect() as conn:
        made = _index_definitions(conn)
    for name, words in STAFF_SPEED_INDEXES.items():
        assert name in made, name
        assert all(word in made[name] for word in words), made[name]
    assert "ix_feedback_received_on" not in made  # (received_on, id) serves all it did
    assert "ix_feedback_kind_received_on" not in made  # nor (kind, received_on), with the theme


def test_on_sqlite_themes_over_time_counts_from_the_index_alone(app):
    """A year of a million records is counted by theme without reading one of them."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's Index Only Scan also depends on how recently it vacuumed")
    from portal.services.insight import trends
    from portal.services.reports.period import Period

    year = Period(TODAY - timedelta(days=364), TODAY)
    count = _one(statements_sent(lambda: trends._counts(year)), "count(")
    db.session.remove()
    with db.engine.connect() as conn:
        plan = _plan(conn, *count)
    assert "COVERING INDEX ix_feedback_kind_received_on_theme" in plan, plan


def test_on_sqlite_the_dashboard_counts_open_records_from_the_index_alone(app):
    """SQLite counts from an index alone ("COVERING INDEX") only if it holds every column
    the count names, the status included, though the index's condition settles it: a
    count that reads each record too shows here before it shows as time."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's Index Only Scan also depends on how recently it vacuumed")
    user = StaffUser(email="manager@example.org", name="Mo Manager", role="feedback_manager", active=True)
    db.session.add(user)
    db.session.commit()
    board = statements_sent(lambda: dashboard.build(user, TODAY))
    # The acknowledgements due and overdue, two subqueries of the dashboard's one statement
    # of counts. (Overdue, due this week and open initial contacts are the kept counts'
    # for a feedback manager, migration 0030: test_the_dashboard_and_inbox_use_feedback_partial_indexes.)
    [plan] = _plans_among(_records(), [_one(board, "count(", "acknowledge_by IS NOT NULL")])
    assert plan.count("COVERING INDEX ix_feedback_open_acknowledge_by") == 2, plan


# Migration 0028's indexes (issue 23, the workload): name, and what its definition must say.
WORKLOAD_INDEXES = {
    "ix_feedback_open_workload": ("assigned_to_id", "kind", "procedure", "stage_number", "due_on", "team_id",
                                  "status", "closed"),
    "ix_stage_responded_on_feedback": ("responded_on", "feedback_id", "started_on", "number", "case_assigned_to_id",
                                       "case_team_id"),
}


def test_the_migrations_make_the_workloads_indexes(app):
    with db.engine.connect() as conn:
        made = _index_definitions(conn)
    for name, words in WORKLOAD_INDEXES.items():
        assert name in made, name
        assert all(word in made[name] for word in words), made[name]
    assert "ix_stage_responded_on" not in made  # (responded_on, feedback_id, ...) serves all it did


def test_on_sqlite_the_workload_reads_open_records_and_responses_from_indexes_alone(app):
    """The workload's open cases by officer and stage, and the stages answered this
    quarter, each read from one index without reading the records or the stages (SQLite
    read every record through the index on the officer)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's Index Only Scan also depends on how recently it vacuumed")
    user = StaffUser(email="manager@example.org", name="Mo Manager", role="feedback_manager", active=True)
    db.session.add(user)
    db.session.commit()
    sent = statements_sent(lambda: workload.workload(user, TODAY))
    reads = [("ix_feedback_open_workload", _one(sent, "count(", "feedback.stage_number")),
             ("ix_stage_responded_on_feedback", _one(sent, "stage.responded_on >="))]
    plans = zip([index for index, _ in reads], _plans_among(_records(), [statement for _, statement in reads]))
    for index, plan in plans:
        assert f"COVERING INDEX {index}" in plan, plan


def test_the_reports_examples_of_compliments_are_found_from_the_index_of_those_that_may_be_shown(app):
    """Five compliments to show, found among the few that may be shown, not by reading
    every compliment of the period for its consent and wording."""
    from portal.services.reports.document import compliment_examples
    from portal.services.reports.period import Period

    examples = _one(statements_sent(lambda: compliment_examples(Period(TODAY - timedelta(days=364), TODAY))),
                    "anonymised_text")
    [plan] = _plans_among([dict(row, kind="compliment") for row in _records()], [examples])
    assert "ix_feedback_shareable" in plan, plan
