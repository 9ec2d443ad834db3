"""PostgreSQL databases of their own, for the suite (one per xdist worker) and for the
tests that need an empty one apart from the suite's: made afresh on the same server,
named after the database they stand beside.

    url = new_database(os.environ["TEST_DATABASE_URL"], "gunicorn")   # portal_gunicorn
    drop_database(url)
"""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


def _url(url: str) -> URL:
    """The URL with the driver the portal uses (psycopg 3), however it was written."""
    return make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _as_administrator(url: URL, *statements: str) -> None:
    """Run statements outside any transaction (CREATE DATABASE must), from the server's
    own ``postgres`` database, since a database cannot be dropped from inside itself."""
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def new_database(beside: str, suffix: str) -> str:
    """An empty database on beside's server, named after beside's database and suffix;
    one that an interrupted run left behind is dropped first, whoever is connected to it.
    Its URL, with the password, for the portal to connect with."""
    url = _url(beside)
    url = url.set(database=f"{url.database}_{suffix}")
    _as_administrator(url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)',
                      f'CREATE DATABASE "{url.database}"')
    return url.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database url names, whoever is still connected to it."""
    url = _url(url)
    _as_administrator(url, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


def empty_database_for_migrations(tmp_path, name: str):
    """Yield the URL of an empty database for a migration's own test, dropped after: a
    SQLite file under ``tmp_path``, or with TEST_DATABASE_URL a PostgreSQL database beside
    it named for ``name`` and the xdist worker."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(tmp_path / "migration.sqlite3")
        return
    url = new_database(base, f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    yield url
    drop_database(url)
