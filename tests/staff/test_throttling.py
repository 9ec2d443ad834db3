"""Repeated failures slow and then lock sign-in for an address, whether or not it has
an account, and what the person sees tells them what to do and nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import SignInThrottle
from portal.services.accounts import auth
from portal.services.common import dates
from tests.staff.conftest import PASSWORD, error_summary, next_code


def attempt(client, email, password="wrong password, again"):
    return client.post("/staff/sign-in", data={"email": email, "password": password})


def messages(client, email, tries):
    return [error_summary(attempt(client, email).get_data(as_text=True)) for _ in range(tries)]


def test_twenty_wrong_passwords_lock_the_account_and_do_not_reveal_it_exists(app, make_user):
    user = make_user()
    known, unknown = app.test_client(), app.test_client()
    seen_known = messages(known, user.email, 20)
    seen_unknown = messages(unknown, "nobody.here@example.org", 20)
    assert seen_known == seen_unknown
    assert seen_known[0] == ["Enter a correct email address and password"]
    assert "Wait 30 minutes" in seen_known[-1][0] and "reset your password" in seen_known[-1][0]

    # Locked: even the right password is refused, with the same words as for no account.
    right = error_summary(attempt(known, user.email, PASSWORD).get_data(as_text=True))
    none = error_summary(attempt(unknown, "nobody.here@example.org", PASSWORD).get_data(as_text=True))
    assert right == none
    assert "too many times" in right[0]
    assert auth.is_locked(user.email)


def test_after_five_failures_the_next_try_must_wait(client, make_user):
    user = make_user()
    seen = messages(client, user.email, 6)
    assert seen[4] == ["Enter a correct email address and password"]
    assert "Wait 3" in seen[5][0] and "seconds" in seen[5][0]


def test_after_the_wait_the_right_password_works(client, make_user, monkeypatch):
    user = make_user()
    messages(client, user.email, 5)
    later = dates.now_utc() + timedelta(seconds=31)
    monkeypatch.setattr(dates, "now_utc", lambda: later)
    response = attempt(client, user.email, PASSWORD)
    assert response.headers["Location"].endswith("/staff/sign-in/code")


def test_a_lock_runs_out_and_a_full_sign_in_clears_the_count(client, make_user):
    user = make_user()
    messages(client, user.email, 20)
    throttle = db.session.get(SignInThrottle, auth._sha256(user.email))
    # Thirty-one minutes on: the lock (and the last failure) are behind us.
    throttle.locked_until -= timedelta(minutes=31)
    throttle.last_failure_at -= timedelta(minutes=31)
    db.session.commit()
    attempt(client, user.email, PASSWORD)
    assert client.post("/staff/sign-in/code", data={"code": next_code(user)}).status_code == 302
    db.session.refresh(throttle)
    assert throttle.failures == 0 and throttle.locked_until is None


def test_wrong_codes_count_towards_the_same_lock(client, make_user):
    user = make_user()
    attempt(client, user.email, PASSWORD)
    for _ in range(20):
        response = client.post("/staff/sign-in/code", data={"code": "123456"})
    assert "too many times" in error_summary(response.get_data(as_text=True))[0]
    assert auth.is_locked(user.email)


def test_a_right_password_alone_does_not_clear_failed_codes(client, make_user, monkeypatch):
    user = make_user()
    attempt(client, user.email, PASSWORD)
    for _ in range(4):
        client.post("/staff/sign-in/code", data={"code": "123456"})
    attempt(client, user.email, PASSWORD)
    throttle = db.session.get(SignInThrottle, auth._sha256(user.email))
    db.session.refresh(throttle)
    assert throttle.failures == 4


def test_a_password_reset_ends_a_lock(client, make_user):
    from portal.services.accounts import staff_accounts

    user = make_user()
    messages(client, user.email, 20)
    staff_accounts.request_password_reset(user.email)
    link = staff_accounts._new_link(user, staff_accounts.RESET, timedelta(minutes=5))
    db.session.commit()
    path = link.removeprefix("http://localhost")
    client.post(path, data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert not auth.is_locked(user.email)


@pytest.mark.parametrize("config_overrides", [{"RATELIMIT_ENABLED": True, "SIGN_IN_RATE_LIMIT": "3 per minute"}])
def test_an_address_is_limited_across_every_sign_in_form(app, client):
    from portal.extensions import limiter

    limiter.reset()
    assert attempt(client, "a@example.org").status_code == 200
    assert client.post("/staff/reset-password", data={"email": "b@example.org"}).status_code == 200
    assert attempt(client, "c@example.org").status_code == 200
    response = attempt(client, "d@example.org")
    assert response.status_code == 429
    assert "Wait a few minutes" in response.get_data(as_text=True)
    assert client.get("/staff/sign-in").status_code == 200  # reading the page is not limited


def test_the_nightly_purge_forgets_old_failures_but_keeps_a_standing_lock(app, client, make_user,
                                                                            monkeypatch):
    from datetime import date

    from portal.models import StaffSession
    from portal.services.data_protection import purge

    locked, mistyped = make_user(), make_user()
    messages(client, locked.email, 20)
    messages(client, mistyped.email, 5)  # one more would have to wait
    messages(client, "never.an.account@example.org", 1)
    db.session.add(StaffSession(token_hash="0" * 64, user_id=mistyped.id,
                                created_at=dates.now_utc() - timedelta(days=40),
                                last_seen_at=dates.now_utc() - timedelta(days=40)))
    db.session.commit()

    # Two hours on: the lock still stands and every failure is recent.
    soon = dates.now_utc() + timedelta(hours=2)
    monkeypatch.setattr(dates, "now_utc", lambda: soon)
    assert purge.run(date.today()).sign_in_rows_removed == 1  # the 40-day-old session
    assert db.session.query(SignInThrottle).count() == 3

    # Two days on: the lock has run out and nothing is remembered of any address.
    later = soon + timedelta(days=2)
    monkeypatch.setattr(dates, "now_utc", lambda: later)
    result = purge.run(date.today())
    assert result.sign_in_rows_removed == 3
    assert db.session.query(SignInThrottle).count() == 0
    assert messages(client, mistyped.email, 1) == [["Enter a correct email address and password"]]
    assert not auth.is_locked(locked.email)
