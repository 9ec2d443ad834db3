"""Settings read from the environment (portal/config.py)."""

from __future__ import annotations

import secrets

import pytest

from portal import config
from portal.config import DEVELOPMENT_SECRET_KEY, ConfigError, choose_secret_key, weak_secret_key


def _loaded(tmp_path, **environ):
    return config.load(environ, str(tmp_path))


def test_only_the_flask_command_may_use_the_development_key(tmp_path):
    settings = _loaded(tmp_path)  # PORTAL_ENV unset: development
    assert choose_secret_key(settings, from_flask_cli=True) == DEVELOPMENT_SECRET_KEY
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        choose_secret_key(settings, from_flask_cli=False)


def test_a_server_outside_the_flask_command_needs_a_real_key(tmp_path):
    for weak in ("secret", DEVELOPMENT_SECRET_KEY, "ab" * 32):
        with pytest.raises(ConfigError):
            choose_secret_key(_loaded(tmp_path, SECRET_KEY=weak), from_flask_cli=False)
    key = secrets.token_urlsafe(32)
    assert choose_secret_key(_loaded(tmp_path, SECRET_KEY=key), from_flask_cli=False) == key
    hex_key = secrets.token_hex(32)
    assert choose_secret_key(_loaded(tmp_path, SECRET_KEY=hex_key), from_flask_cli=False) == hex_key


def test_production_refuses_a_weak_key_even_from_the_flask_command(tmp_path):
    with pytest.raises(ConfigError, match="production needs a real SECRET_KEY"):
        _loaded(tmp_path, PORTAL_ENV="production", SECRET_KEY="x" * 64)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        _loaded(tmp_path, PORTAL_ENV="production")


def test_weak_keys_are_named_for_what_is_wrong():
    assert weak_secret_key(None) == "SECRET_KEY is not set"
    assert "shorter than 32" in weak_secret_key("k" * 31)
    assert "not random enough" in weak_secret_key("abcd" * 10)
    assert weak_secret_key(secrets.token_urlsafe(32)) is None


def test_the_workers_settings_are_checked_and_read():
    from portal.config import load

    config = load({"REMINDERS_AT": "06:30", "MAIL_RETRY_SECONDS": "5,60", "TASK_QUEUE_URL": "redis://r:6379/1"}, "/tmp")
    assert config["REMINDERS_AT"] == "06:30" and config["RETENTION_PURGE_AT"] == "02:00"
    assert config["MAIL_RETRY_SECONDS"] == [5, 60] and config["TASK_QUEUE_URL"] == "redis://r:6379/1"
    with pytest.raises(ConfigError, match="REMINDERS_AT must be a time like 07:00"):
        load({"REMINDERS_AT": "7am"}, "/tmp")
    with pytest.raises(ConfigError, match="PRUNE_SIGN_IN_AT must be a time like 07:00"):
        load({"PRUNE_SIGN_IN_AT": "24:00"}, "/tmp")
    with pytest.raises(ConfigError, match="MAIL_RETRY_SECONDS must be whole numbers of seconds"):
        load({"MAIL_RETRY_SECONDS": "1m"}, "/tmp")


def test_an_unknown_task_queue_is_refused_by_name(tmp_path):
    from portal import tasks

    with pytest.raises(ConfigError, match="TASK_QUEUE_URL must start redis://"):
        tasks.make_queue("amqp://rabbit", str(tmp_path))
    assert type(tasks.make_queue("", str(tmp_path))).__name__ == "SqliteHuey"
    assert (tmp_path / "tasks.sqlite3").exists()
