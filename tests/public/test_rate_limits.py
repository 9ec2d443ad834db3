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
