"""CSRF, rate limits and the expired-form page: protection that loses nothing."""

from __future__ import annotations

import re

import pytest

from portal.extensions import db
from portal.models import Feedback
from tests.public.helpers import COMPLAINT


def csrf_token(page: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


pytestmark = pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])


def test_a_post_without_a_csrf_token_is_refused_but_the_answers_come_back(client):
    client.get("/complaint")
    response = client.post("/complaint", data=COMPLAINT)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your answers have not been sent yet" in page
    assert "Nobody has told us who our son" in page  # the person's own words, kept
    assert db.session.query(Feedback).count() == 0
    # The page carries a fresh token, and continuing with it works.
    response = client.post("/complaint", data={**COMPLAINT, "csrf_token": csrf_token(page)})
    assert response.status_code == 302


def test_a_stale_token_on_the_check_page_keeps_the_draft(client, get_page):
    page = get_page(client, "/complaint")
    client.post("/complaint", data={**COMPLAINT, "csrf_token": csrf_token(page)})
    response = client.post("/complaint/check", data={"csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Check your answers before sending" in page
    assert "select Send" in page
    assert db.session.query(Feedback).count() == 0
    response = client.post("/complaint/check", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert db.session.query(Feedback).count() == 1


def test_a_post_without_a_session_gets_the_expired_page_not_a_500(client):
    response = client.post("/young-people/tell-us", data={"summary": "hello"})
    assert response.status_code == 400
    assert "Your answers have not been sent yet" in response.get_data(as_text=True)
