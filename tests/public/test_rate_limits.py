"""Public forms are rate limited per address, with a page that says what to do."""

import pytest

from tests.public.helpers import COMPLAINT


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "PUBLIC_FORM_RATE_LIMIT": "3 per minute"}]
)
def test_too_many_posts_from_one_address_get_the_429_page(client):
    statuses = [client.post("/complaint", data={**COMPLAINT, "name": ""}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # errors shown, each counted
    response = client.post("/compliment", data={})
    assert response.status_code == 429
    assert "You have sent too many requests" in response.get_data(as_text=True)
    # Reading pages is never limited.
    assert client.get("/complaint").status_code == 200


LIMITED = {"RATELIMIT_ENABLED": True, "PUBLIC_FORM_RATE_LIMIT": "2 per minute"}


def _posts_from(client, forwarded_for: str, times: int) -> list[int]:
    return [client.post("/compliment", data={}, headers={"X-Forwarded-For": forwarded_for},
                        environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for _ in range(times)]


@pytest.mark.parametrize("config_overrides", [{**LIMITED, "TRUSTED_PROXIES": 1}])
def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(client):
    """Issue 14, item 6: behind a proxy every visitor had the proxy's address, so one
    busy visitor used up everyone's limit."""
    assert _posts_from(client, "203.0.113.5", 3) == [200, 200, 429]
    # Someone else, through the same proxy, is not held back.
    assert _posts_from(client, "198.51.100.7", 2) == [200, 200]


@pytest.mark.parametrize("config_overrides", [{**LIMITED, "TRUSTED_PROXIES": 1}])
def test_only_the_address_the_trusted_proxy_saw_counts(client):
    # The visitor writes addresses of their own in front; the proxy adds the real one.
    statuses = [client.post("/compliment", data={}, environ_base={"REMOTE_ADDR": "10.0.0.1"},
                            headers={"X-Forwarded-For": f"192.0.2.{n}, 203.0.113.5"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("config_overrides", [LIMITED])
def test_without_trusted_proxies_a_forwarded_address_is_not_believed(client):
    statuses = [client.post("/compliment", data={}, headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code
                for n in range(3)]
    assert statuses == [200, 200, 429]
