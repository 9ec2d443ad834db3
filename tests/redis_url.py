"""Redis for the tests that need it: REDIS_TEST_URL (CI sets it, and a Redis that does not
answer is then a failure), else 127.0.0.1:6379/15, skipped with a message if it is down."""

from __future__ import annotations

import os

import pytest


def redis_url(what: str) -> str:
    import redis

    required = os.environ.get("REDIS_TEST_URL")
    url = required or "redis://127.0.0.1:6379/15"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as error:
        if required:
            pytest.fail(f"REDIS_TEST_URL={url} but Redis does not answer: {error}", pytrace=False)
        pytest.skip(f"{what} on Redis skipped: nothing answers at {url}; start redis-server, "
                    "or set REDIS_TEST_URL (as CI does) to make this a failure")
    return url


def queue_name() -> str:
    """A queue of this test process's own, so parallel runs sharing Redis never meet."""
    return f"portal-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
