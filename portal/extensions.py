"""Extension singletons, bound to the app in ``create_app``."""

from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
import sqlite3

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints, so that Alembic can alter them on SQLite and PostgreSQL alike.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
htmx = HTMX()
limiter = Limiter(key_func=get_remote_address)


# SQLite, on every connection: write-ahead logging, so that readers never wait for a writer
# and a writer for readers (the web workers and the background worker share one file);
# synchronous=NORMAL, which in WAL mode waits for the disk at each checkpoint rather than
# at every commit (a commit survives a crash of the portal; a power cut may lose the last
# few, never corrupt the file); and a writer that finds the file busy waits up to five
# seconds rather than failing at once with "database is locked".
SQLITE_PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA busy_timeout = 5000")


# PostgreSQL, on every connection: no parallel workers for one query. The portal's queries
# read a page, a count capped at a few thousand, one case: starting workers for them took
# longer than the work (a search by a child's name at 1,000,000 records: 48.8 ms with them,
# 37.1 without, docs/performance.md). And a random read costed at 1.1 sequential ones, not
# PostgreSQL's default 4, which is for spinning disks: the portal's tables are read from
# memory or SSD, and at the default the planner read all of feedback to join a half year's
# 10,000 Stage 1s to their cases (1.55 s, against 0.27 s through its key, at 1,000,000
# records). Set outside a transaction, so that they last.
POSTGRES_SETTINGS = ("SET max_parallel_workers_per_gather = 0", "SET random_page_cost = 1.1")


@event.listens_for(Engine, "connect")
def _connection_settings(connection, _record) -> None:
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
        from portal.services.triage import search_fold

        search_fold.register(connection)
    elif type(connection).__module__.startswith("psycopg"):
        autocommit, connection.autocommit = connection.autocommit, True
        with connection.cursor() as cursor:
            for setting in POSTGRES_SETTINGS:
                cursor.execute(setting)
        connection.autocommit = autocommit
