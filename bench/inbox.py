"""Benchmark: the triage inbox and the case page with many records.

Target (issue 4): with 100,000 records, the inbox's first page, a filtered page and a
search each answer in under 50 ms median server time, and the case page in under
30 ms. Issue 20: with 1,000,000 records, a search by a child's name or record number and a
filtered, sorted page in under 50 ms median. Server time here is the whole request through the Flask test client (routing,
sign-in check, queries, template), without a network. The baseline is the public
start page, measured in the same run. Issue 23: each inbox request within 3x the SQL behind
it, which is the time of the request's own statements (from SQLAlchemy's cursor events,
the driver's work and the database's answer), printed beside it with the ratio.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "test")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--database", default=None, help="a PostgreSQL URL; default a SQLite file in bench/data/")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()

    database = args.database or _sqlite_file(args.records)
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Feedback, StaffUser

    app = prepare(_driver(database), args.records)
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == "bench@example.org"))
        if user is None:
            user = StaffUser(email="bench@example.org", name="Bench Officer", role="feedback_officer", active=True)
            db.session.add(user)
            db.session.commit()
        from portal.services.accounts import auth as auth_service

        token = auth_service.complete_sign_in(user)
        user_id = user.id
        reference = db.session.scalar(select(Feedback.reference).order_by(Feedback.id.desc()).limit(1))
        team_id = db.session.scalar(select(Feedback.team_id).limit(1))
        from portal.models import Child

        born = db.session.scalar(select(Child.date_of_birth).where(Child.name == "Child 1234"))

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["staff_session"] = token
        session["_fresh"] = True
    cases = [
        ("baseline: public start page", "/"),
        ("inbox, first page", "/staff/inbox"),
        ("inbox, filtered (team, open, newest)", f"/staff/inbox?team={team_id}&status=open"),
        ("inbox, filtered and sorted (team, open, due soonest)", f"/staff/inbox?team={team_id}&status=open&sort=due"),
        ("inbox, filtered and sorted (initial contacts, oldest first)", "/staff/inbox?kind=initial_contact&sort=oldest"),
        ("inbox, search", "/staff/inbox?q=person 1234"),
        ("inbox, search for a common word (4 in 10 records)", "/staff/inbox?q=late"),
        ("inbox, search by a child's name", "/staff/inbox?q=child 1234"),
        ("inbox, search by a child's record number", "/staff/inbox?q=LL-001234"),
        ("inbox, search by a child's date of birth", f"/staff/inbox?q={born:%d/%m/%Y}"),
        ("case page", f"/staff/cases/{reference}"),
    ]
    print(f"\n{args.records} records on {'PostgreSQL' if database.startswith('postgresql') else 'SQLite'}, "
          f"{args.repeat} requests each (after 3 warm-up requests)\n")
    print("| request | median ms | 90th percentile ms | SQL behind it, median ms (SELECTs) | ratio |\n"
          "|---|---|---|---|---|")
    with app.app_context():
        sql = _SqlClock(db.engine)
    for name, url in cases:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        times, sql_times = [], []
        for _ in range(args.repeat):
            sql.reset()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            with app.app_context():
                sql_times.append(sql.spent() * 1000)
        times.sort()
        median, sql_median = statistics.median(times), statistics.median(sql_times)
        print(f"| {name} | {median:.1f} | {times[int(len(times) * 0.9) - 1]:.1f} | "
              f"{sql_median:.1f} ({sql.statements}) | {median / sql_median:.1f}x |")
    if args.explain:
        _explain(app, database, team_id)


class _SqlClock:
    """The SQL behind a request: each of its statements run again on a connection of its
    own, straight through the driver, with every row fetched (on SQLite the rows of a
    query are found as they are fetched, so timing the cursor's execute alone would miss
    most of a walk's work). Only SELECTs are run again; the time of any other statement
    (a session's time of use, a commit) is taken as it ran, from before to after its
    cursor's execute."""

    def __init__(self, engine):
        from sqlalchemy import event

        self._engine = engine
        self._reads, self._writes, self._started = [], 0.0, 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def reset(self) -> None:
        self._reads, self._writes = [], 0.0

    @property
    def statements(self) -> int:
        return len(self._reads)

    def spent(self) -> float:
        """Seconds: the reads run again (after the request, not inside its time) and the
        writes as they ran."""
        spent = self._writes
        connection = self._engine.raw_connection()
        try:
            for statement, parameters in self._reads:
                cursor = connection.cursor()
                started = time.perf_counter()
                cursor.execute(statement, parameters)
                cursor.fetchall()
                spent += time.perf_counter() - started
                cursor.close()
            connection.rollback()
        finally:
            connection.close()
        return spent

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            self._reads.append((statement, parameters))
        self._started = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith("SELECT"):
            self._writes += time.perf_counter() - self._started


def prepare(database: str, records: int, years: int = 1):
    """An app on ``database`` holding exactly ``records`` generated records (made once;
    a PostgreSQL database is emptied and filled again when the count differs)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select, text

    from portal import create_app
    from portal.extensions import db
    from portal.models import Feedback

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": secrets.token_urlsafe(32), "TASK_QUEUE_URL": "memory://"})
    with app.app_context():
        postgres = database.startswith("postgresql")
        if postgres:
            upgrade()
            have = db.session.scalar(select(func.count(Feedback.id)))
            if have != records:
                db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
        upgrade()
        from portal.services.accounts.reference_data import ensure_defaults

        ensure_defaults()
        if db.session.scalar(select(func.count(Feedback.id))) != records:
            print(f"filling {records} records ...", flush=True)
            started = time.perf_counter()
            from bench.generate import fill

            fill(records, date.today(), years=years)
            print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
        db.session.commit()
        # The database as it is once autovacuum has been by: statistics for the planner and,
        # on PostgreSQL, the search index's new entries merged (a GIN index keeps them in a
        # pending list that every search reads through until VACUUM merges it; on a freshly
        # filled database the person search took 21 ms instead of 1, by a sequential scan).
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return app


def _explain(app, database, team_id) -> None:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import StaffUser
    from portal.services.triage import inbox

    from portal.models import Feedback
    from portal.services.accounts.permissions import visible_feedback

    postgres = database.startswith("postgresql")
    with app.app_context():
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == "bench@example.org"))
        queries = [("unactioned safeguarding concerns (above the first page)", inbox._rows_query(
            visible_feedback(user), Feedback.safeguarding_concern.is_(True),
            Feedback.safeguarding_actioned_at.is_(None)))]
        for name, filters in (("first page", inbox.InboxFilters()),
                              ("filtered", inbox.InboxFilters(team_id=team_id, status="open")),
                              ("filtered and sorted (due soonest)",
                               inbox.InboxFilters(team_id=team_id, status="open", sort="due")),
                              ("filtered and sorted (initial contacts, oldest first)",
                               inbox.InboxFilters(kind="initial_contact", sort="oldest")),
                              ("search", inbox.InboxFilters(q="person 1234")),
                              ("search for a common word", inbox.InboxFilters(q="late")),
                              ("search by a child's name", inbox.InboxFilters(q="child 1234"))):
            queries.append((name, inbox.build_query(user, filters, date.today(), None, inbox.PAGE_SIZE)))
        for name, query in queries:
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            if postgres:
                sql = sql.replace("%%", "%")  # psycopg's escape, not wanted in a literal query
            prefix = "EXPLAIN (ANALYZE, COSTS OFF) " if postgres else "EXPLAIN QUERY PLAN "
            print(f"\n{name}:")
            for row in db.session.execute(db.text(prefix + sql)):
                print("   ", " ".join(str(c) for c in row))


def _sqlite_file(records: int) -> str:
    folder = ROOT / "bench" / "data"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'inbox-{records}.sqlite3'}"


def _driver(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


if __name__ == "__main__":
    main()
