"""Sessions: idle and absolute timeouts end them on the server; cookies are HttpOnly,
SameSite, and Secure when the portal is served over HTTPS."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import StaffSession
from tests.staff.conftest import PASSWORD, next_code


def live_session(user) -> StaffSession:
    return db.session.scalar(select(StaffSession).where(StaffSession.user_id == user.id,
                                                        StaffSession.ended_at.is_(None)))


def age(user, **moved):
    found = live_session(user)
    for column, delta in moved.items():
        setattr(found, column, getattr(found, column) - delta)
    db.session.commit()
    return found


def test_an_idle_session_ends_after_thirty_minutes(signed_in):
    client = signed_in("feedback_officer")
    age(client.user, last_seen_at=timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200  # and that counts as using it
    found = age(client.user, last_seen_at=timedelta(minutes=31))
    response = client.get("/staff/", follow_redirects=True)
    assert "You were signed out because you had not used the service for 30 minutes" in response.get_data(as_text=True)
    db.session.refresh(found)
    assert found.ended_reason == "idle"


def test_a_session_ends_after_twelve_hours_however_busy(signed_in):
    client = signed_in("feedback_officer")
    found = age(client.user, created_at=timedelta(hours=12, minutes=1))
    response = client.get("/staff/", follow_redirects=True)
    assert "signed in for 12 hours" in response.get_data(as_text=True)
    db.session.refresh(found)
    assert found.ended_reason == "absolute"


@pytest.mark.parametrize("config_overrides", [{"SESSION_IDLE_MINUTES": 5}])
def test_the_idle_timeout_is_a_setting(signed_in):
    client = signed_in("feedback_officer")
    age(client.user, last_seen_at=timedelta(minutes=6))
    assert client.get("/staff/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(signed_in):
    admin = signed_in("administrator")
    officer = signed_in("feedback_officer")
    admin.post(f"/staff/admin/staff/{officer.user.id}/deactivate")
    assert officer.get("/staff/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    response = client.post("/staff/sign-in/code", data={"code": next_code(user)})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in this test


def test_session_cookie_is_secure_over_https(app, make_user):
    from portal import config

    secure = config.load({"BASE_URL": "https://feedback.example.org", "PORTAL_ENV": "test"}, app.instance_path)
    assert secure["SESSION_COOKIE_SECURE"] is True
    app.config["SESSION_COOKIE_SECURE"] = True
    user = make_user()
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD}, base_url="https://localhost")
    response = client.post("/staff/sign-in/code", data={"code": next_code(user)}, base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
