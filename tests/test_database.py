"""How the portal opens its database (portal/extensions.py): on SQLite, every connection in
write-ahead logging with synchronous=NORMAL and a busy timeout, so that the web workers and
the background worker can share one file; on PostgreSQL, without parallel workers."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from tests.conftest import test_config as config_for


def test_every_sqlite_connection_logs_ahead_waits_when_busy_and_syncs_at_checkpoints(tmp_path, sqlite_only):
    app = create_app(config_for(f"sqlite:///{tmp_path / 'portal.sqlite3'}"))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path, sqlite_only):
    """Two connections, as two processes would have: while one holds a write, the other's
    write waits (busy_timeout) and goes through once the first commits; a reader meanwhile
    sees the last committed state (WAL)."""
    import threading

    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = create_engine(url), create_engine(url)
    with first.begin() as conn:
        conn.execute(text("CREATE TABLE note (words TEXT)"))
    holding = first.connect()
    holding.execute(text("BEGIN IMMEDIATE"))
    holding.execute(text("INSERT INTO note VALUES ('first')"))
    with second.connect() as reader:
        assert reader.execute(text("SELECT count(*) FROM note")).scalar() == 0
    done = threading.Event()

    def write_second():
        with second.begin() as conn:
            conn.execute(text("INSERT INTO note VALUES ('second')"))
        done.set()

    writer = threading.Thread(target=write_second)
    writer.start()
    assert not done.wait(0.3)  # waiting for the first writer, not failed
    holding.execute(text("COMMIT"))
    holding.close()
    writer.join()
    assert done.is_set()
    with first.connect() as conn:
        assert sorted(conn.execute(text("SELECT words FROM note")).scalars()) == ["first", "second"]
    first.dispose()
    second.dispose()


def test_every_postgresql_connection_starts_no_parallel_workers(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own settings")
    db.engine.dispose()  # a connection opened now, through the portal's engine
    with db.engine.connect() as conn:
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
        conn.rollback()  # set outside a transaction: a rollback keeps it
        assert conn.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own settings")


def test_a_report_counts_with_the_servers_parallel_workers_for_its_transaction_only(app, database_url):
    # A report's few large counts are about three times faster with workers (docs/performance.md).
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's own settings")
    from datetime import date

    from portal.services.procedures.calendars import current_calendar
    from portal.services.reports import Period, build_report

    default = db.session.execute(text("SELECT reset_val FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'")).scalar()
    assert default != "0"
    build_report(Period(date(2034, 4, 1), date(2034, 9, 30)), current_calendar())
    assert db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == default
    db.session.commit()
    assert db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"
