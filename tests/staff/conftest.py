"""Staff fixtures: accounts with a known password and authenticator key, and signing
in through the real pages (password, then a code computed as the app would show it)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pyotp
import pytest

from portal.extensions import db
from portal.models import StaffUser
from portal.services.common.labels import StaffRole
from tests import factories

PASSWORD = "correct horse battery staple"
CSRF_FREE = {}


def next_code(user: StaffUser) -> str:
    """A code the app will accept now: codes are one-time, so a second sign-in in the same
    30 seconds uses the next step's code (the app allows one step of drift)."""
    db.session.refresh(user)
    now_step = int(datetime.now(timezone.utc).timestamp()) // 30
    step = max(now_step - 1, (user.totp_last_step or -1) + 1)
    assert step <= now_step + 1, "no unused code left in this 30-second window"
    return pyotp.TOTP(user.totp_secret).at(step * 30)


@pytest.fixture
def make_user(app):
    """``make_user(role, email=, name=, ...)``: an account that signs in with PASSWORD and
    an authenticator key unless told otherwise (``password=None``, ``enrolled=False``)."""

    def make(role: str = "feedback_officer", email: str | None = None, name: str | None = None,
             password: str | None = PASSWORD, enrolled: bool = True, **kw) -> StaffUser:
        return factories.staff(role, name, email=email, password=password, enrolled=enrolled, **kw)

    return make


def sign_in(client, user: StaffUser, password: str = PASSWORD):
    """Sign in through the pages; returns the last response (the dashboard, followed)."""
    response = client.post("/staff/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/staff/sign-in/code")
    response = client.post("/staff/sign-in/code", data={"code": next_code(user)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def signed_in(app, make_user):
    """``signed_in("administrator")``: a new client signed in as a new account of that role."""

    def make(role: str = "feedback_officer", **kw):
        assert role in StaffRole
        user = make_user(role, **kw)
        client = app.test_client()
        sign_in(client, user)
        client.user = user
        return client

    return make


def error_summary(page: str) -> list[str]:
    block = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.findall(r"<a [^>]*>(.*?)</a>", block.group(1), re.S) if block else []
