"""Password reset by an emailed, single-use, expiring link; the same answer whether or
not the address has an account."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, StaffToken
from tests.mailed import mailed_path
from tests.staff.conftest import PASSWORD, error_summary

NEW = "an entirely new passphrase"


def reset_link(inbox, email: str) -> str:
    return mailed_path(inbox, email, "/staff/reset-password/")


def test_asking_for_a_reset_says_the_same_for_any_address(client, make_user):
    user = make_user()
    known = client.post("/staff/reset-password", data={"email": user.email}).get_data(as_text=True)
    unknown = client.post("/staff/reset-password", data={"email": "nobody@example.org"}).get_data(as_text=True)
    # Tokens and nonces differ on every page (the CSRF token by the second it was made).
    strip = lambda html: re.sub(  # noqa: E731
        r"(nonce|value|hx-headers)=\"[^\"]*\"|[\w.]+@example\.org", "", html)
    assert strip(known) == strip(unknown)
    assert "Check your email" in known
    assert db.session.scalars(select(OutboxMessage.to_address)).all() == [user.email]


def test_the_link_sets_a_new_password_once(client, make_user, mail_to):
    user = make_user()
    client.post("/staff/reset-password", data={"email": user.email})
    path = reset_link(mail_to, user.email)
    response = client.post(path, data={"password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/staff/sign-in"
    assert client.get(path).status_code == 404
    old = client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    assert error_summary(old.get_data(as_text=True)) == ["Enter a correct email address and password"]
    new = client.post("/staff/sign-in", data={"email": user.email, "password": NEW})
    assert new.headers["Location"].endswith("/staff/sign-in/code")


def test_the_link_expires(client, make_user, mail_to):
    user = make_user()
    client.post("/staff/reset-password", data={"email": user.email})
    path = reset_link(mail_to, user.email)
    token = db.session.scalars(select(StaffToken).where(StaffToken.purpose == "reset")).one()
    token.expires_at = token.created_at - timedelta(seconds=1)
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 404 and "This link has expired" in response.get_data(as_text=True)


def test_a_new_password_follows_the_rules(client, make_user, mail_to):
    user = make_user(name="Morgan Example")
    client.post("/staff/reset-password", data={"email": user.email})
    path = reset_link(mail_to, user.email)
    # The hint gives every rule before anyone is refused for breaking one.
    assert "Use at least 12 characters, not your name or email address." in client.get(path).get_data(as_text=True)
    cases = {
        "short": ("tooshort", "Enter a password of at least 12 characters"),
        "common": ("password1234", "Enter a password that is harder to guess. This one is too common"),
        "personal": ("morgan is my name", "Enter a password that does not include your name or email address"),
    }
    for password, message in cases.values():
        response = client.post(path, data={"password": password, "confirm": password})
        assert error_summary(response.get_data(as_text=True)) == [message]
    mismatch = client.post(path, data={"password": NEW, "confirm": NEW + "!"})
    assert error_summary(mismatch.get_data(as_text=True)) == ["Enter the same password in both fields"]


def test_a_reset_signs_out_every_session(app, signed_in, mail_to):
    client = signed_in("feedback_officer")
    other = app.test_client()
    other.post("/staff/reset-password", data={"email": client.user.email})
    other.post(reset_link(mail_to, client.user.email), data={"password": NEW, "confirm": NEW})
    assert client.get("/staff/").status_code == 302


def test_asking_for_a_reset_does_the_same_work_whether_or_not_the_address_has_an_account(app, client,
                                                                                         make_user):
    """Issue 14, item 10: timing told whether an address has an account. Both now look
    up the account, write the message, audit the request and commit once; only an account
    gets the message queued (with its audit entry). No token is made yet: the link is made
    as the mail is sent, so none is ever stored readable."""
    from tests.work_done import watching

    email = make_user().email
    with watching(app) as known:
        client.post("/staff/reset-password", data={"email": email})
    with watching(app) as unknown:
        client.post("/staff/reset-password", data={"email": "nobody@example.org"})
    assert known.statements[("INSERT INTO", "outbox_message")] == 1
    assert unknown.commits == known.commits == 1
    rendered = [t for t in known.templates if t.startswith("staff/email/")]
    assert rendered == ["staff/email/password_reset.txt"]
    assert [t for t in unknown.templates if t.startswith("staff/email/")] == rendered
    quiet = ("outbox_message", "staff_token", "audit_entry")
    assert unknown.without(*quiet) == known.without(*quiet)
    assert known.statements[("INSERT INTO", "staff_token")] == unknown.statements[("INSERT INTO", "staff_token")] == 0
    assert unknown.statements[("INSERT INTO", "audit_entry")] == 1
