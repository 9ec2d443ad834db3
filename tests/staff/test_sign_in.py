"""Signing in through the pages: the invitation link, enrolment, codes, recovery codes,
the same refusal for every address, and sign-out."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, RecoveryCode, StaffUser
from portal.services.accounts import staff_accounts
from tests.staff.conftest import PASSWORD, error_summary, next_code, sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_new_member_of_staff_sets_a_password_and_enrols_from_their_link(app, client):
    invitation = staff_accounts.create("New.Person@Example.org", "Nia Person", "feedback_officer")
    db.session.commit()
    path = invitation.link.removeprefix(app.config["BASE_URL"])
    assert path.startswith("/staff/set-up/")

    assert "Set up your account" in page(client.get(path))
    response = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.headers["Location"].endswith("/staff/sign-in/set-up-two-step")

    enrol = page(client.get("/staff/sign-in/set-up-two-step"))
    assert "<svg" in enrol and "QR code" in enrol
    key = re.search(r'id="totp-key">([A-Z2-7 ]+)<', enrol).group(1).replace(" ", "")
    response = client.post("/staff/sign-in/set-up-two-step", data={"code": pyotp.TOTP(key).now()})
    assert response.status_code == 200
    codes = re.findall(r"<code>([a-z0-9-]+)</code>", page(response))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Dashboard" in page(client.get("/staff/"))
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "new.person@example.org"))
    assert user.two_step_enrolled and user.password_hash.startswith("$argon2id$")

    # The link was for once only.
    assert client.get(path).status_code == 404


def test_a_wrong_enrolment_code_is_refused_and_the_key_stays_the_same(client, make_user):
    user = make_user(enrolled=False)
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    first = re.search(r'id="totp-key">([A-Z2-7 ]+)<', page(client.get("/staff/sign-in/set-up-two-step"))).group(1)
    response = client.post("/staff/sign-in/set-up-two-step", data={"code": "000000"})
    assert "Error: " in page(response)
    assert first in page(response)
    assert client.get("/staff/").status_code == 302  # not signed in


def test_the_second_step_is_needed_before_anything_else(client, make_user):
    user = make_user()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/sign-in/code").status_code == 200


def test_a_code_works_once_only(app, make_user):
    user = make_user()
    first = app.test_client()
    first.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    code = next_code(user)
    assert first.post("/staff/sign-in/code", data={"code": code}).status_code == 302
    second = app.test_client()
    second.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    response = second.post("/staff/sign-in/code", data={"code": code})
    assert "Enter a correct code" in page(response)


def test_a_recovery_code_signs_in_once(client, make_user):
    from portal.services.accounts import auth

    user = make_user()
    codes = auth.issue_recovery_codes(user)
    db.session.commit()
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    response = client.post("/staff/sign-in/code", data={"code": codes[0].upper()})
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    client.post("/staff/sign-out")
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
    assert "Enter a correct code" in page(client.post("/staff/sign-in/code", data={"code": codes[0]}))
    assert db.session.scalar(select(db.func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) == 9


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client, make_user):
    user = make_user()
    wrong = client.post("/staff/sign-in", data={"email": user.email, "password": "not the password at all"})
    unknown = client.post("/staff/sign-in", data={"email": "nobody@example.org", "password": "not the password at all"})
    assert error_summary(page(wrong)) == error_summary(page(unknown)) == ["Enter a correct email address and password"]
    assert wrong.status_code == unknown.status_code == 200


def test_a_deactivated_or_unfinished_account_cannot_sign_in(client, make_user):
    for user in (make_user(active=False), make_user(password=None)):
        response = client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD})
        assert error_summary(page(response)) == ["Enter a correct email address and password"]


def test_empty_fields_are_asked_for(client):
    response = client.post("/staff/sign-in", data={"email": "", "password": ""})
    assert error_summary(page(response)) == ["Enter your email address", "Enter your password"]
    assert "<title>Error: Sign in" in page(response)


def test_sign_in_starts_a_new_session_and_goes_where_the_person_was_going(client, make_user):
    user = make_user("administrator")
    with client.session_transaction() as session:
        session["left_over"] = "from before signing in"
    response = client.get("/staff/admin/teams")
    assert response.headers["Location"] == "/staff/sign-in?next=/staff/admin/teams"
    client.post("/staff/sign-in?next=/staff/admin/teams", data={"email": user.email, "password": PASSWORD})
    response = client.post("/staff/sign-in/code", data={"code": next_code(user)})
    assert response.headers["Location"] == "/staff/admin/teams"
    with client.session_transaction() as session:
        assert "left_over" not in session
        assert session["staff_session"]


def test_next_never_leads_to_another_site(client, make_user):
    user = make_user()
    client.post("/staff/sign-in?next=//evil.example/staff/", data={"email": user.email, "password": PASSWORD})
    response = client.post("/staff/sign-in/code", data={"code": next_code(user)})
    assert response.headers["Location"] == "/staff/"


def test_sign_out_ends_the_session_on_the_server(app, signed_in):
    client = signed_in("feedback_manager")
    with client.session_transaction() as session:
        copied = dict(session)
    response = client.post("/staff/sign-out")
    assert response.headers["Location"] == "/staff/sign-in"
    assert client.get("/staff/").status_code == 302
    # A copy of the cookie taken before signing out no longer works.
    thief = app.test_client()
    with thief.session_transaction() as session:
        session.update(copied)
    assert thief.get("/staff/").status_code == 302


def test_sign_in_and_out_and_failures_are_in_the_audit_trail(client, make_user):
    user = make_user()
    client.post("/staff/sign-in", data={"email": user.email, "password": "wrong password here"})
    client.post("/staff/sign-in", data={"email": "nobody@example.org", "password": "wrong password here"})
    sign_in(client, user)
    client.post("/staff/sign-out")
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action.in_(["sign_in", "sign_in_failed", "sign_out"])).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("sign_in_failed", user.id), ("sign_in_failed", None), ("sign_in", user.id), ("sign_out", user.id)]
    assert entries[1].new["email"] == "nobody@example.org"
    assert entries[0].ip_address == "127.0.0.1"


def test_the_recovery_codes_page_carries_a_token_the_new_session_accepts(app, make_user, get_page):
    """Signing in starts a new session; the page shown in that same response must not
    carry the old session's CSRF token, or signing out from it says the page expired."""
    import re

    import pyotp

    from tests.staff.conftest import PASSWORD

    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user("feedback_officer", enrolled=False)
    client = app.test_client()

    def token(page):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    page = get_page(client, "/staff/sign-in")
    client.post("/staff/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token(page)})
    page = get_page(client, "/staff/sign-in/set-up-two-step")
    key = re.search(r'id="totp-key"[^>]*>([^<]+)<', page).group(1).replace(" ", "")
    codes = client.post("/staff/sign-in/set-up-two-step",
                        data={"code": pyotp.TOTP(key).now(), "csrf_token": token(page)}).get_data(as_text=True)
    assert "recovery codes" in codes.lower()
    response = client.post("/staff/sign-out", data={"csrf_token": token(codes)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
