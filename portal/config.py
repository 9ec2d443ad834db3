"""Configuration, read once from the environment.

Every setting the portal knows about is here, with its default. ``.env`` is read
in development only (by ``create_app``), never in production.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

ENVIRONMENTS = ("development", "test", "production")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class ConfigError(RuntimeError):
    """The environment does not describe a portal that can start safely."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(environ, name: str, default: int) -> int:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


def _seconds_list(environ, name: str, default: list[int]) -> list[int]:
    raw = environ.get(name)
    if raw in (None, ""):
        return default
    try:
        values = [int(part) for part in raw.split(",")]
    except ValueError as exc:
        raise ConfigError(f"{name} must be whole numbers of seconds separated by commas, not {raw!r}") from exc
    if any(value < 0 for value in values):
        raise ConfigError(f"{name} must not be negative, not {raw!r}")
    return values


_CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _clock_time(environ, name: str, default: str) -> str:
    raw = (environ.get(name) or default).strip()
    if not _CLOCK_TIME.match(raw):
        raise ConfigError(f"{name} must be a time like 07:00 (24-hour clock), not {raw!r}")
    return raw


DEVELOPMENT_SECRET_KEY = "development-only-secret-key-not-for-production"
# A real key: at least 32 characters carrying at least 128 bits, as
# `python -c 'import secrets; print(secrets.token_urlsafe(32))'` gives.
SECRET_KEY_MIN_LENGTH = 32
SECRET_KEY_MIN_BITS = 128
MAKE_A_KEY = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


def weak_secret_key(key: str | None) -> str | None:
    """Why this key is not good enough to sign sessions and links, or None if it is.

    The bits are estimated as length times log2 of the distinct characters used: a
    random key passes easily, a word or a repeated character does not."""
    if not key:
        return "SECRET_KEY is not set"
    if key == DEVELOPMENT_SECRET_KEY:
        return "SECRET_KEY is the public development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    distinct = len(set(key))
    if distinct < 2 or len(key) * math.log2(distinct) < SECRET_KEY_MIN_BITS:
        return "SECRET_KEY is not random enough"
    return None


def choose_secret_key(config, from_flask_cli: bool) -> str:
    """The key the app signs with, once every setting (and a test's) is known.

    Only the flask command (``flask run``, ``flask db upgrade``, ``make run``) in
    development or test may fall back to the public development key. Anything else,
    gunicorn or another WSGI server, must be given a real key: it is serving, and with a
    key everyone can read, anyone could forge a session or a status link. A test
    (``PORTAL_ENV=test``) may give a short key of its own."""
    env, key = config["PORTAL_ENV"], config.get("SECRET_KEY") or None
    if from_flask_cli and env in ("development", "test"):
        return key or DEVELOPMENT_SECRET_KEY
    if env == "test" and key:
        return key
    problem = weak_secret_key(key)
    if problem:
        raise ConfigError(
            f"{problem}. The portal is not being run by `flask run`, so it needs a real "
            f"SECRET_KEY of at least {SECRET_KEY_MIN_LENGTH} random characters; {MAKE_A_KEY}"
        )
    return key


def load(environ: os._Environ | dict, instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    env = environ.get("PORTAL_ENV", "development") or "development"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")

    secret_key = environ.get("SECRET_KEY") or None
    if env == "production":
        problem = weak_secret_key(secret_key)
        if problem:
            raise ConfigError(f"{problem}: production needs a real SECRET_KEY; {MAKE_A_KEY}")
    # Without a key, ``choose_secret_key`` decides whether the development key may do.

    database_url = environ.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")
    )
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url[len("postgres://"):]
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url[len("postgresql://"):]

    if _flag(environ.get("MAIL_USE_TLS")) and _flag(environ.get("MAIL_USE_SSL")):
        raise ConfigError("Set MAIL_USE_SSL (TLS from the start) or MAIL_USE_TLS (STARTTLS), not both")

    base_url = (environ.get("BASE_URL") or "http://127.0.0.1:5000").rstrip("/")
    org_colour = environ.get("ORG_COLOUR") or "#0b4f6c"
    if not _HEX_COLOUR.match(org_colour):
        raise ConfigError(f"ORG_COLOUR must be a colour like #0b4f6c, not {org_colour!r}")

    return {
        "PORTAL_ENV": env,
        "TESTING": env == "test",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BASE_URL": base_url,
        "PREFERRED_URL_SCHEME": "https" if base_url.startswith("https://") else "http",
        "SESSION_COOKIE_SECURE": base_url.startswith("https://"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Public forms hold text only; nothing larger than this is a real submission.
        "MAX_CONTENT_LENGTH": _int(environ, "MAX_CONTENT_LENGTH", 64 * 1024),
        "MAX_FORM_MEMORY_SIZE": _int(environ, "MAX_CONTENT_LENGTH", 64 * 1024),
        "WTF_CSRF_TIME_LIMIT": _int(environ, "CSRF_TIME_LIMIT", 4 * 3600),
        "MAIL_SERVER": environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": _int(environ, "MAIL_PORT", 25),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": environ.get("MAIL_FROM") or "feedback@example.org",
        # TLS to the mail server (portal/services/common/outbox.py): the certificate is always
        # verified; STARTTLS is used when offered, and required with MAIL_USE_TLS or a
        # password; MAIL_USE_SSL speaks TLS from the start (port 465).
        "MAIL_USE_TLS": _flag(environ.get("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _flag(environ.get("MAIL_USE_SSL"), False),
        "MAIL_TLS_CA_FILE": environ.get("MAIL_TLS_CA_FILE") or None,
        "MAIL_TIMEOUT": _int(environ, "MAIL_TIMEOUT", 10),
        # How long a sender holds a message it is sending (a worker killed mid-send lets
        # go when this runs out), and the waits after each failure, in seconds.
        "MAIL_CLAIM_SECONDS": _int(environ, "MAIL_CLAIM_SECONDS", 300),
        "MAIL_RETRY_SECONDS": _seconds_list(environ, "MAIL_RETRY_SECONDS", [60, 300, 1800, 7200]),
        # Background work (portal/tasks.py): empty for a SQLite queue in instance/,
        # redis://host:6379/0 for several machines (Redis 5 or later), memory:// for tests.
        "TASK_QUEUE_URL": environ.get("TASK_QUEUE_URL") or "",
        # The queue's name on the broker: portals sharing one Redis need names of their own.
        "TASK_QUEUE_NAME": environ.get("TASK_QUEUE_NAME") or "portal",
        "WORKER_THREADS": _int(environ, "WORKER_THREADS", 2),
        # How often the worker sweeps the outbox and looks for due jobs (60 in production).
        "WORKER_TICK_SECONDS": _int(environ, "WORKER_TICK_SECONDS", 60),
        # When each scheduled job runs, London time (portal/services/background/jobs.py).
        "REMINDERS_AT": _clock_time(environ, "REMINDERS_AT", "07:00"),
        "RETENTION_PURGE_AT": _clock_time(environ, "RETENTION_PURGE_AT", "02:00"),
        "PRUNE_SIGN_IN_AT": _clock_time(environ, "PRUNE_SIGN_IN_AT", "03:00"),
        # Insight (docs/insight.md): when the worker trains the model each night, and how
        # many closed records with a team and a theme it needs before it suggests anything.
        "INSIGHT_TRAIN_AT": _clock_time(environ, "INSIGHT_TRAIN_AT", "01:00"),
        "INSIGHT_MIN_RECORDS": _int(environ, "INSIGHT_MIN_RECORDS", 200),
        "INSIGHT_PATH": environ.get("INSIGHT_PATH") or os.path.join(instance_path, "insight"),
        "SAFEGUARDING_EMAIL": environ.get("SAFEGUARDING_EMAIL") or "duty-team@example.org",
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI") or "memory://",
        "RATELIMIT_ENABLED": _flag(environ.get("RATELIMIT_ENABLED"), True),
        "PUBLIC_FORM_RATE_LIMIT": environ.get("PUBLIC_FORM_RATE_LIMIT") or "10 per minute;60 per hour",
        "RATELIMIT_HEADERS_ENABLED": True,
        # How many proxies in front of the portal to believe about the visitor's address
        # (X-Forwarded-For) and scheme (X-Forwarded-Proto). 0 believes none: a visitor
        # could write any address in the header and escape the rate limits.
        "TRUSTED_PROXIES": _int(environ, "TRUSTED_PROXIES", 0),
        # Pages answered gzipped to a browser that takes it (portal/compression.py); set
        # false where a proxy in front compresses them instead.
        "COMPRESS_RESPONSES": _flag(environ.get("COMPRESS_RESPONSES"), True),
        "ORG_NAME": environ.get("ORG_NAME") or "Children's Services Trust",
        # The statutory annual report (children's procedure) shows a count below this as
        # "fewer than N", so that no complainant or child can be told from it.
        "SMALL_NUMBER_THRESHOLD": _int(environ, "SMALL_NUMBER_THRESHOLD", 5),
        "ORG_COLOUR": org_colour,
        "ORG_PHONE": environ.get("ORG_PHONE") or "0300 123 4567",
        "ORG_EMAIL": environ.get("ORG_EMAIL") or "feedback@example.org",
        "ORG_ADDRESS": environ.get("ORG_ADDRESS")
        or "Customer Feedback Team, Civic Centre, High Street, Anytown AN1 1AA",
        "ORG_WEBSITE": environ.get("ORG_WEBSITE") or "",
        # Letters (issue 18): the letterhead's logo (a PNG, JPEG or SVG file; none by
        # default) and the reading ages the check before sending aims for.
        "ORG_LOGO": environ.get("ORG_LOGO") or None,
        "LETTER_READING_AGE": _int(environ, "LETTER_READING_AGE", 14),
        "LETTER_READING_AGE_YOUNG": _int(environ, "LETTER_READING_AGE_YOUNG", 10),
        "SERVICE_NAME": environ.get("SERVICE_NAME") or "Tell us what you think",
        # Where "Exit this page" goes: a neutral site, for a child who is being watched.
        "EXIT_PAGE_URL": environ.get("EXIT_PAGE_URL") or "https://www.bbc.co.uk/weather",
        # Staff sign-in (issue 3): sessions, throttling, one-time links, password hashing.
        "STAFF_SERVICE_NAME": environ.get("STAFF_SERVICE_NAME") or "Customer feedback casework",
        "SESSION_IDLE_MINUTES": _int(environ, "SESSION_IDLE_MINUTES", 30),
        "SESSION_ABSOLUTE_HOURS": _int(environ, "SESSION_ABSOLUTE_HOURS", 12),
        "SIGN_IN_SLOW_AFTER": _int(environ, "SIGN_IN_SLOW_AFTER", 5),
        "SIGN_IN_SLOW_SECONDS": _int(environ, "SIGN_IN_SLOW_SECONDS", 30),
        "SIGN_IN_LOCK_AFTER": _int(environ, "SIGN_IN_LOCK_AFTER", 20),
        "SIGN_IN_LOCK_MINUTES": _int(environ, "SIGN_IN_LOCK_MINUTES", 30),
        # Per address (Flask-Limiter), on top of the per-account count above.
        "SIGN_IN_RATE_LIMIT": environ.get("SIGN_IN_RATE_LIMIT") or "30 per minute;300 per hour",
        "INVITE_VALID_DAYS": _int(environ, "INVITE_VALID_DAYS", 7),
        "PASSWORD_RESET_VALID_MINUTES": _int(environ, "PASSWORD_RESET_VALID_MINUTES", 60),
        "PASSWORD_HASH_CHEAP": _flag(environ.get("PASSWORD_HASH_CHEAP"), False),
        # The case file (issue 17, docs/case-file.md): the largest file, the most one
        # submission or upload may send, where files are kept (empty: instance/files;
        # s3://bucket/prefix for S3-compatible storage, S3_ENDPOINT_URL for one not AWS's),
        # and the ClamAV daemon that scans them (a socket, or a host and port; neither: not scanned).
        "FILE_MAX_BYTES": _int(environ, "FILE_MAX_BYTES", 10 * 1024 * 1024),
        "SUBMISSION_MAX_BYTES": _int(environ, "SUBMISSION_MAX_BYTES", 25 * 1024 * 1024),
        "FILES_PER_SUBMISSION": _int(environ, "FILES_PER_SUBMISSION", 5),
        "FILE_STORAGE_URL": environ.get("FILE_STORAGE_URL") or "",
        "S3_ENDPOINT_URL": environ.get("S3_ENDPOINT_URL") or None,
        "CLAMD_SOCKET": environ.get("CLAMD_SOCKET") or None,
        "CLAMD_HOST": environ.get("CLAMD_HOST") or None,
        "CLAMD_PORT": _int(environ, "CLAMD_PORT", 3310),
        "CLAMD_TIMEOUT": _int(environ, "CLAMD_TIMEOUT", 30),
        # Email in (issue 19, docs/mail-in.md): the team's mailbox the worker reads every
        # tick over IMAP (no MAIL_IN_HOST: not read), with a password or an OAuth2 access
        # token (Microsoft 365's XOAUTH2); what it has taken moves to the processed folder,
        # what it could not read to the failed one. MAIL_IN_ADDRESS is the team's address,
        # which replies from a case are sent from (default ORG_EMAIL); MAIL_IN_OWN_ADDRESSES
        # (commas) are more addresses of the portal's own, whose mail is never a case.
        "MAIL_IN_HOST": environ.get("MAIL_IN_HOST") or None,
        "MAIL_IN_PORT": _int(environ, "MAIL_IN_PORT", 993),
        "MAIL_IN_SSL": _flag(environ.get("MAIL_IN_SSL"), True),
        "MAIL_IN_USERNAME": environ.get("MAIL_IN_USERNAME") or None,
        "MAIL_IN_PASSWORD": environ.get("MAIL_IN_PASSWORD") or None,
        "MAIL_IN_OAUTH2_TOKEN": environ.get("MAIL_IN_OAUTH2_TOKEN") or None,
        "MAIL_IN_FOLDER": environ.get("MAIL_IN_FOLDER") or "INBOX",
        "MAIL_IN_PROCESSED_FOLDER": environ.get("MAIL_IN_PROCESSED_FOLDER") or "Processed",
        "MAIL_IN_FAILED_FOLDER": environ.get("MAIL_IN_FAILED_FOLDER") or "Failed",
        "MAIL_IN_TIMEOUT": _int(environ, "MAIL_IN_TIMEOUT", 30),
        "MAIL_IN_BATCH": _int(environ, "MAIL_IN_BATCH", 500),
        "MAIL_IN_ADDRESS": environ.get("MAIL_IN_ADDRESS") or None,
        "MAIL_IN_OWN_ADDRESSES": [a.strip() for a in (environ.get("MAIL_IN_OWN_ADDRESSES") or "").split(",")
                                  if a.strip()],
    }
