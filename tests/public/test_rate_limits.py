"""Public forms, the status pages' forms and staff sign-in are rate limited per address,
with a page that says what to do. Production counts in Redis (RATELIMIT_STORAGE_URI),
so every test here runs on Redis too, and the in-memory store a new checkout uses.

The Redis tests use REDIS_TEST_URL (CI sets it, and they then fail without Redis), or
else Redis on 127.0.0.1:6379 if it answers; without it they skip and say so. Each test
process counts under its own key prefix, cleared before and after each test, so xdist
workers and other runs sharing the server never see each other's counts.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import select

from portal import create_app
from portal.extensions import db, limiter
from portal.models import Feedback, OutboxMessage, TimelineEvent
from tests.conftest import test_config as config_for
from tests.public.helpers import COMPLAINT, send
from tests.redis_url import redis_url
from tests.staff.conftest import make_user  # noqa: F401  (a fixture)

# One prefix per test process: Flask-Limiter keeps the first storage options it is given.
KEY_PREFIX = f"portal-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
LIMITED = "You have sent too many requests"


def redis_keys(url: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(url)
    try:
        return list(client.scan_iter(match=f"{KEY_PREFIX}:*"))
    finally:
        client.close()


def _storage(kind: str) -> dict:
    if kind == "memory":
        return {"RATELIMIT_STORAGE_URI": "memory://"}
    return {"RATELIMIT_STORAGE_URI": redis_url("rate limits"), "RATELIMIT_STORAGE_OPTIONS": {"key_prefix": KEY_PREFIX}}


def _forget_counts() -> None:
    """Clear this process's counts (on Redis: only keys under KEY_PREFIX) and, on Redis,
    close the connections, so that no socket is left for the garbage collector."""
    limiter.reset()
    client = getattr(limiter.storage, "storage", None)
    if client is not None and hasattr(client, "close"):
        client.close()


@pytest.fixture(params=["memory", "redis"])
def storage(request) -> dict:
    return _storage(request.param)


@pytest.fixture
def redis_storage() -> dict:
    return _storage("redis")


@pytest.fixture
def limits() -> dict:
    return {"RATELIMIT_ENABLED": True, "PUBLIC_FORM_RATE_LIMIT": "3 per minute", "SIGN_IN_RATE_LIMIT": "3 per minute"}


@pytest.fixture
def config_overrides(request, limits) -> dict:
    # Whichever storage the test asked for, memory and Redis, or Redis alone.
    kind = "storage" if "storage" in request.fixturenames else "redis_storage"
    return {**limits, **request.getfixturevalue(kind)}


@pytest.fixture(autouse=True)
def _fresh_counts(app):
    limiter.reset()
    yield
    _forget_counts()


def test_too_many_posts_from_one_address_get_the_429_page(client, storage):
    statuses = [client.post("/complaint", data={**COMPLAINT, "name": ""}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # errors shown, each counted
    response = client.post("/compliment", data={})
    assert response.status_code == 429
    assert LIMITED in response.get_data(as_text=True)
    # Reading pages is never limited.
    assert client.get("/complaint").status_code == 200


def test_the_counts_are_kept_in_redis(client, redis_storage):
    client.post("/complaint", data={})
    assert redis_keys(redis_storage["RATELIMIT_STORAGE_URI"]), "nothing was counted in Redis"


def test_every_worker_and_a_restarted_portal_share_one_count(_migrated, client, redis_storage, limits):
    """Gunicorn's workers are separate apps: with Redis they share the budget, and a
    restart does not hand out a fresh one (memory:// would do both)."""
    for _ in range(3):
        assert client.post("/complaint", data={}).status_code == 200
    first_workers_storage = limiter.storage
    restarted = create_app(config_for(_migrated, **limits, **redis_storage))
    first_workers_storage.storage.close()  # its connections, now that the second has its own
    with restarted.app_context():
        response = restarted.test_client().post("/question-or-concern", data={})
        assert response.status_code == 429
        assert LIMITED in response.get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def sent(app, client, mail_to, task_worker):
    """A complaint sent through the forms (two posts of the budget of three), its
    acknowledgement delivered, and its status link."""
    page = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    assert len(mail_to.wait_for(1)) == 1
    link = re.search(r'href="(/your-feedback/[^"]+)"', page).group(1)
    return db.session.scalars(select(Feedback)).one(), link


def status_links_mailed(inbox) -> list:
    return [m for m in inbox.messages if m["Subject"].startswith("Your link to follow")]


@pytest.mark.parametrize("then", ["fresh link", "add information", "next stage"])
def test_the_status_pages_forms_share_the_budget_and_send_nothing_once_limited(
        client, redis_storage, sent, mail_to, then):
    record, link = sent
    ask = {"reference": record.reference, "email": "alex@example.org"}
    with client.post("/your-feedback", data=ask) as response:  # the third post: allowed
        assert response.status_code == 302
    assert len(mail_to.wait_for(2)) == 2
    assert len(status_links_mailed(mail_to)) == 1

    path, data = {
        "fresh link": ("/your-feedback", ask),
        "add information": (link, {"information": "The school called us again today."}),
        "next stage": (link + "/next-stage", {}),
    }[then]
    with client.post(path, data=data) as response:
        assert response.status_code == 429
        assert LIMITED in response.get_data(as_text=True)
    assert len(mail_to.wait_for(3, timeout=1)) == 2  # nothing more was sent
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == 2  # nor queued
    assert db.session.scalar(select(db.func.count(TimelineEvent.id)).where(
        TimelineEvent.kind == "information_added")) == 0
    # The person can still read their status page, through the fresh link (which
    # revoked the one this browser had opened: docs/security.md).
    fresh = re.search(r"http://localhost(/your-feedback/\S+)",
                      status_links_mailed(mail_to)[0].get_payload(decode=True).decode()).group(1)
    page = client.get(fresh, follow_redirects=True)
    assert page.status_code == 200 and record.reference in page.get_data(as_text=True)


def test_staff_sign_in_is_limited_per_address_on_redis(client, redis_storage, make_user):  # noqa: F811
    user = make_user("feedback_officer")
    for email in ("a@example.org", user.email, "c@example.org"):
        response = client.post("/staff/sign-in", data={"email": email, "password": "not the password"})
        assert response.status_code == 200
    response = client.post("/staff/sign-in", data={"email": user.email, "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "Wait a few minutes" in response.get_data(as_text=True)
    assert client.get("/staff/sign-in").status_code == 200  # reading the page is not limited


# Behind a proxy (issue 14, item 6): two posts a minute, counted per visitor.
TWO_A_MINUTE = {"RATELIMIT_ENABLED": True, "PUBLIC_FORM_RATE_LIMIT": "2 per minute"}


def _posts_from(client, forwarded_for: str, times: int) -> list[int]:
    return [client.post("/compliment", data={}, headers={"X-Forwarded-For": forwarded_for},
                        environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for _ in range(times)]


@pytest.mark.parametrize("limits", [{**TWO_A_MINUTE, "TRUSTED_PROXIES": 1}])
def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(client, storage):
    """Issue 14, item 6: behind a proxy every visitor had the proxy's address, so one
    busy visitor used up everyone's limit."""
    assert _posts_from(client, "203.0.113.5", 3) == [200, 200, 429]
    # Someone else, through the same proxy, is not held back.
    assert _posts_from(client, "198.51.100.7", 2) == [200, 200]


@pytest.mark.parametrize("limits", [{**TWO_A_MINUTE, "TRUSTED_PROXIES": 1}])
def test_only_the_address_the_trusted_proxy_saw_counts(client, storage):
    # The visitor writes addresses of their own in front; the proxy adds the real one.
    statuses = [client.post("/compliment", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"},
                            headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.5"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("limits", [TWO_A_MINUTE])
def test_without_trusted_proxies_a_forwarded_address_is_not_believed(client, storage):
    statuses = [client.post("/compliment", data={}, headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]
