"""Your account: a person changes their own password and gets new recovery codes, each
only after their current password."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import AuditEntry
from portal.services.accounts import auth
from tests.staff.conftest import PASSWORD, error_summary

NEW = "a fresh set of unrelated words"


def test_the_page_says_who_you_are_and_is_behind_sign_in(app, signed_in, get_page):
    assert app.test_client().get("/staff/account").status_code in (302, 401)
    client = signed_in("feedback_officer", name="Robin Ellis")
    page = get_page(client, "/staff/account")
    assert "Robin Ellis" in page and client.user.email in page and "Feedback officer" in page
    left = re.search(r"Recovery codes left\s*</dt>\s*<dd[^>]*>\s*(\d+)", page)
    assert left and int(left.group(1)) == auth.recovery_codes_left(client.user)
    assert 'href="/staff/account"' in get_page(client, "/staff/")


def test_changing_your_password_needs_the_current_one_then_signs_you_out(signed_in):
    client = signed_in("feedback_officer")
    wrong = client.post("/staff/account/password", data={
        "current_password": "not my password", "password": NEW, "confirm": NEW})
    assert error_summary(wrong.get_data(as_text=True)) == ["Enter your current password correctly"]
    weak = client.post("/staff/account/password", data={
        "current_password": PASSWORD, "password": "short", "confirm": "short"})
    assert "at least 12 characters" in error_summary(weak.get_data(as_text=True))[0]

    done = client.post("/staff/account/password", data={
        "current_password": PASSWORD, "password": NEW, "confirm": NEW})
    assert done.headers["Location"].endswith("/staff/sign-in")
    assert client.get("/staff/").status_code == 302  # signed out everywhere
    user = client.user
    db.session.refresh(user)
    assert not isinstance(auth.check_password(user.email, NEW), auth.Refusal)
    actions = {e.action for e in db.session.query(AuditEntry).filter_by(entity_id=str(user.id))}
    assert {"password_changed", "sign_in_failed"} <= actions


def test_new_recovery_codes_replace_the_old_ones(signed_in):
    client = signed_in("feedback_officer")
    wrong = client.post("/staff/account/recovery-codes", data={"current_password": "nope"})
    page = wrong.get_data(as_text=True)
    assert 'href="#codes-current-password"' in page and "Enter your current password correctly" in page
    assert len(re.findall(r'id="codes-current-password"', page)) == 1
    shown = client.post("/staff/account/recovery-codes", data={"current_password": PASSWORD})
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", shown.get_data(as_text=True))
    assert len(codes) == 10 and "Your old recovery codes no longer work" in shown.get_data(as_text=True)
    assert auth.recovery_codes_left(client.user) == 10
