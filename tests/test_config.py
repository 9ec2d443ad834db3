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
