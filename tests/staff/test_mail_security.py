"""Issue 14 over HTTP: no secret link can be read back from the portal once sent, and
mail that can never go is shown to the feedback manager."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, OutboxMessage
from portal.services.common import outbox
from tests.mailed import mailed_path
from tests.public.helpers import COMPLAINT, send
from tests.staff.conftest import PASSWORD

NEW = "an entirely new passphrase"


def page(response) -> str:
    return response.get_data(as_text=True)


def test_a_reset_link_cannot_be_read_back_to_take_over_an_account(app, client, signed_in, make_user, mail_to):
    """The review's attack: an administrator read a feedback officer's password reset link
    in the audit trail (record type outbox_message), reset their password, reset their
    two-step sign-in and signed in as them. Now the link is only in the mail."""
    admin = signed_in("administrator")
    manager = signed_in("feedback_manager")
    officer = make_user("feedback_officer", email="officer@example.org")
    client.post("/staff/reset-password", data={"email": officer.email})
    path = mailed_path(mail_to, officer.email, "/staff/reset-password/")
    token = path.rsplit("/", 1)[1]

    for reader in (admin, manager):
        for query in ("?record_type=outbox_message", "?record_type=", "?record_type=staff_user"):
            trail = page(reader.get("/staff/audit" + query))
            assert "/staff/reset-password/" not in trail and token not in trail
    # Nor anywhere the portal keeps: the outbox and every audit entry.
    stored = [m.body for m in db.session.scalars(select(OutboxMessage))]
    stored += [f"{e.old} {e.new}" for e in db.session.scalars(select(AuditEntry))]
    assert not any(token in text or "/staff/reset-password/" in text for text in stored)

    # The link works for the person it was sent to, once.
    assert client.post(path, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert client.get(path).status_code == 404


def test_status_links_are_made_as_the_mail_goes_and_never_stored(app, client, mail_to):
    send(client, "complaint", COMPLAINT)
    path = mailed_path(mail_to, "alex@example.org", "/your-feedback/")
    assert "We are looking at this" in page(client.get(path, follow_redirects=True))
    [ack] = db.session.scalars(select(OutboxMessage)).all()
    assert ack.sent_at is not None and "/your-feedback/" not in ack.body
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "outbox_message")).all()
    assert entries and not any("body" in (e.new or {}) or "body" in (e.old or {}) for e in entries)


def test_a_set_up_link_is_never_issued_for_an_account_already_set_up(app, signed_in, make_user, mail_to):
    admin = signed_in("administrator")
    invited = make_user("report_viewer", password=None, enrolled=False)
    admin.post(f"/staff/admin/staff/{invited.id}/resend-invitation")
    # They set up their account from the first invitation before the second one goes...
    first = mailed_path(mail_to, invited.email, "/staff/set-up/")
    app.test_client().post(first, data={"password": PASSWORD, "confirm": PASSWORD})
    db.session.refresh(invited)
    assert invited.password_hash is not None
    # ...so asking again is refused, and a link already queued is never made.
    response = admin.post(f"/staff/admin/staff/{invited.id}/resend-invitation", follow_redirects=True)
    assert "has already set up their account" in page(response)
    mail_to.clear()
    outbox.queue(invited.email, "Set up your account", f"Open {outbox.LINK}", "staff_invite",
                 link_ref=f"invite:{invited.id}")
    db.session.commit()
    assert outbox.send_due(outbox.MailSettings.from_config(app.config)).undeliverable == 1
    assert mail_to.messages == []
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))).one()
    assert failed.last_error == "Not sent: the account is already set up"
    # The old link no longer sets anything up.
    assert app.test_client().get(first).status_code == 404


def test_the_feedback_manager_sees_failed_mail_with_its_reason_and_case(app, client, signed_in):
    send(client, "complaint", COMPLAINT)
    ack = db.session.scalars(select(OutboxMessage)).one()
    ack.to_address = "alex@example.org\r\nBcc: everyone@example.net"  # as an import once let in
    db.session.commit()
    assert outbox.send_due(outbox.MailSettings.from_config(app.config)).undeliverable == 1

    manager = signed_in("feedback_manager")
    assert "1 message could not be sent" in page(manager.get("/staff/"))
    failed = page(manager.get("/staff/failed-mail"))
    assert "Not sent: the address is not an email address" in failed
    assert f'href="/staff/cases/{ack.feedback.reference}"' in failed
    for role in ("administrator", "feedback_officer"):
        other = signed_in(role)
        assert other.get("/staff/failed-mail").status_code == 403
        assert "could not be sent" not in page(other.get("/staff/"))


def test_forms_refuse_an_address_that_could_add_mail_headers(client, signed_in):
    injected = "alex@example.org\r\nBcc: everyone@example.net"
    public = client.post("/complaint", data={**COMPLAINT, "email": injected}).get_data(as_text=True)
    assert "Enter your email address in the correct format, like name@example.com" in public  # GOV.UK: "your" on the public forms
    admin = signed_in("administrator")
    invite = admin.post("/staff/admin/staff/invite", data={
        "name": "Bea Bcc", "email": injected, "role": "report_viewer", "team": ""}).get_data(as_text=True)
    assert "Enter an email address in the correct format, like name@example.com" in invite
    assert db.session.scalars(select(OutboxMessage)).all() == []
