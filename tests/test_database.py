"""How the portal opens its database: on SQLite, every connection in write-ahead logging
with synchronous=NORMAL and a busy timeout (portal/extensions.py), so that the web
workers and the background worker can share one file."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from portal import create_app
from portal.extensions import db
from tests.conftest import test_config as config_for


def test_every_sqlite_connection_logs_ahead_waits_when_busy_and_syncs_at_checkpoints(tmp_path):
    app = create_app(config_for(f"sqlite:///{tmp_path / 'portal.sqlite3'}"))
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_a_second_writer_waits_for_the_first_instead_of_failing(tmp_path):
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


@pytest.fixture(autouse=True)
def _sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's own settings")
