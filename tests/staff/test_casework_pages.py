"""The casework pages: the case page's Ombudsman, Money and Actions panels, the action
plan, an Ombudsman enquiry about a complaint the portal never held, and contact
restrictions. Each change by plain post and by HTMX, GOV.UK errors and never a 500,
who may do what, the dashboard, the reminders, and the audit trail."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    AuditEntry,
    ContactRestriction,
    Feedback,
    LearningAction,
    OmbudsmanEnquiry,
    OutboxMessage,
    Payment,
    Person,
)
from portal.services.casework import learning_actions, ombudsman, restrictions
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from tests.public.helpers import COMPLAINT, reference_in, send
from tests import factories
from tests.staff.conftest import error_summary

HX = {"HX-Request": "true"}


team = factories.team


def make_complaint(person: Person | None = None, team_name: str = "Fostering Team") -> Feedback:
    """A statutory complaint received 90 days ago whose Stage 2 has responded."""
    start = today() - timedelta(days=90)
    fields = {"person": person} if person else {}
    return factories.after_stage_2((start, start + timedelta(days=14)),
                                   (start + timedelta(days=30), start + timedelta(days=60)),
                                   team=team(team_name), **fields)


def day_fields(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def body(response) -> str:
    return response.get_data(as_text=True)


def is_fragment(response) -> bool:
    return "<html" not in body(response) and "HX-Request" in response.headers.get("Vary", "")


def audited(entity_type: str, user) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == entity_type, AuditEntry.actor_id == user.id)))


# --- Ombudsman ------------------------------------------------------------------------


def record_enquiry_page(client, record, reference="23 012 345", notified=None, headers=None):
    return client.post(f"/staff/cases/{record.reference}/ombudsman", headers=headers or {}, data={
        "enquiry-reference": reference, "enquiry-notified_on": day_fields(notified or today() - timedelta(days=40)),
        "enquiry-status": "investigation"})


def test_an_enquiry_recorded_by_plain_post_shows_on_the_case_and_is_audited(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    response = record_enquiry_page(client, record)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/cases/{record.reference}#ombudsman")
    page = body(client.get(response.headers["Location"]))
    assert "Ombudsman enquiry recorded" in page and "LGSCO reference 23 012 345" in page
    enquiry = db.session.scalars(select(OmbudsmanEnquiry)).one()
    assert (enquiry.feedback_id, enquiry.status) == (record.id, "investigation")
    assert audited("ombudsman_enquiry", client.user)


def test_an_enquiry_by_htmx_swaps_only_the_ombudsman_panel(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    response = record_enquiry_page(client, record, headers=HX)
    assert response.status_code == 200 and is_fragment(response)
    assert 'id="ombudsman"' in body(response) and 'id="money"' not in body(response)
    assert "Ombudsman enquiry recorded" in body(response)


def test_an_enquiry_with_missing_answers_shows_gov_uk_errors(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    page = body(client.post(f"/staff/cases/{record.reference}/ombudsman", data={}))
    assert "There is a problem" in page and page.count("<title>Error: ") == 1
    assert "Enter the LGSCO reference" in error_summary(page)
    assert "Enter the date the Ombudsman told us" in error_summary(page)
    response = record_enquiry_page(client, record, notified=today() + timedelta(days=2), headers=HX)
    assert response.status_code == 422 and is_fragment(response)
    assert "The date the Ombudsman told us must be today or in the past" in body(response)
    assert db.session.scalars(select(OmbudsmanEnquiry)).first() is None


def test_upheld_with_a_remedy_and_two_recommendations_the_overdue_one_on_the_dashboard_and_in_the_reminder(
        signed_in, make_user, runner):
    client = signed_in("feedback_manager")
    record = make_complaint()
    record_enquiry_page(client, record)
    enquiry = db.session.scalars(select(OmbudsmanEnquiry)).one()
    base = f"/staff/cases/{record.reference}/ombudsman/{enquiry.id}"
    prefix = f"decision-{enquiry.id}-"
    response = client.post(base + "/decision", headers=HX, data={
        prefix + "decision": "upheld", prefix + "decided_on": day_fields(today() - timedelta(days=20)),
        prefix + "remedy_amount": "£1,300"})
    assert response.status_code == 200 and "Upheld on" in body(response) and "£1,300.00" in body(response)
    prefix = f"recommendation-{enquiry.id}-"
    for text, due in (("Apologise to the family in writing", today() - timedelta(days=3)),
                      ("Review the placement ending procedure", today() + timedelta(days=60))):
        response = client.post(base + "/recommendations", data={prefix + "text": text, prefix + "due_on": day_fields(due)})
        assert response.status_code == 302
    db.session.refresh(enquiry)
    assert (enquiry.status, enquiry.decision, str(enquiry.remedy_amount)) == ("decided", "upheld", "1300.00")
    assert len(enquiry.recommendations) == 2

    page = body(client.get(f"/staff/cases/{record.reference}"))
    assert "Overdue" in page and "Apologise to the family in writing" in page

    dashboard = body(client.get("/staff/"))
    assert "Ombudsman recommendations due" in dashboard
    assert "Apologise to the family in writing" in dashboard and "Overdue" in dashboard
    assert "Review the placement ending procedure" not in dashboard  # not due soon

    run_on = today()
    calendar = current_calendar()
    while not calendar.is_working_day(run_on):
        run_on += timedelta(days=1)
    result = runner.invoke(args=["send-reminders", "--today", run_on.isoformat()])
    assert result.exit_code == 0, result.output
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == client.user.email,
                                                          OutboxMessage.purpose.like("ombudsman_reminder%"))).one()
    assert mail.subject == "Ombudsman recommendations: 1 overdue, 0 due soon"
    assert "Apologise to the family in writing" in mail.body and record.reference in mail.body


def test_compliance_and_an_action_from_a_recommendation(signed_in, make_user):
    client = signed_in("feedback_officer")
    owner = make_user("team_manager", name="Fran Fostering", team=team("Fostering Team"))
    record = make_complaint()
    enquiry = ombudsman.record_enquiry(record, "23 000 001", today() - timedelta(days=30), client.user)
    first = ombudsman.add_recommendation(enquiry, "Pay £300", today() + timedelta(days=10), client.user)
    second = ombudsman.add_recommendation(enquiry, "Train the team", today() + timedelta(days=20), client.user)
    db.session.commit()
    url = f"/staff/cases/{record.reference}/recommendations"
    response = client.post(f"{url}/{first.id}/compliance", headers=HX, data={
        f"compliance-{first.id}-result": "complied", f"compliance-{first.id}-complied_on": day_fields(today())})
    assert response.status_code == 200 and "Complied with on time" in body(response)
    response = client.post(f"{url}/{second.id}/compliance", data={f"compliance-{second.id}-result": "complied"})
    assert "Enter the date the recommendation was complied with" in error_summary(body(response))
    response = client.post(f"{url}/{second.id}/action", data={f"from-recommendation-{second.id}-owner_id": owner.id})
    assert response.status_code == 302
    action = db.session.scalars(select(LearningAction)).one()
    assert (action.source, action.owner_id, action.due_on, action.recommendation_id) == (
        "ombudsman", owner.id, today() + timedelta(days=20), second.id)


def test_an_ombudsman_enquiry_about_a_complaint_the_portal_never_held(signed_in):
    client = signed_in("feedback_officer")
    assert client.get("/staff/ombudsman/new").status_code == 200
    page = body(client.post("/staff/ombudsman/new", data={"team_id": "999", "notified_on": ["31", "2", "2026"]}))
    assert "The date the Ombudsman told us must be a real date" in error_summary(page)
    assert "Enter what the complaint is about" in error_summary(page) and "Select a team from the list" in page
    response = client.post("/staff/ombudsman/new", data={
        "reference": "22 999 111", "notified_on": day_fields(today() - timedelta(days=5)),
        "status": "initial_enquiries", "summary": "A complaint about school transport from 2021.",
        "submitter_role": "parent_or_carer", "team_id": str(team("Education - Transport").id)})
    assert response.status_code == 302
    page = body(client.get(response.headers["Location"]))
    assert "LGSCO reference 22 999 111" in page and "A complaint about school transport" in page
    record = db.session.scalars(select(Feedback)).one()
    assert (record.kind, record.received_on) == ("complaint", today() - timedelta(days=5))
    assert audited("feedback", client.user) and audited("ombudsman_enquiry", client.user)


# --- Money ----------------------------------------------------------------------------


def test_payments_by_plain_post_and_htmx_with_case_totals(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    url = f"/staff/cases/{record.reference}/payments"
    response = client.post(url, data={
        "payment-kind": "investigation_cost", "payment-amount": "£1,300", "payment-paid_on": day_fields(today()),
        "payment-reason": "Independent Person's fee for Stage 2"})
    assert response.status_code == 302
    response = client.post(url, headers=HX, data={
        "payment-kind": "financial_remedy", "payment-amount": "250.5", "payment-paid_on": day_fields(today()),
        "payment-decided_by": "other", "payment-decided_by_other": "Dee Director, adjudicating manager",
        "payment-reason": "Time and trouble"})
    assert response.status_code == 200 and is_fragment(response)
    page = body(response)
    assert 'id="money"' in page and "£1,300.00" in page and "£250.50" in page and "£1,550.50" in page
    remedy = db.session.scalars(select(Payment).where(Payment.kind == "financial_remedy")).one()
    assert remedy.amount_pence == 25050 and remedy.decided_by == "Dee Director, adjudicating manager"
    assert audited("payment", client.user)

    # Removing asks first (issue 13: it happened on one press), by plain post or HTMX.
    case_page = body(client.get(f"/staff/cases/{record.reference}"))
    assert f'href="{url}/{remedy.id}/remove">Remove' in case_page
    from_old_panel = client.post(f"{url}/{remedy.id}/remove", headers=HX)
    assert from_old_panel.headers["HX-Redirect"] == f"{url}/{remedy.id}/remove"
    for ask in (client.get(f"{url}/{remedy.id}/remove"), client.post(f"{url}/{remedy.id}/remove")):
        assert ask.status_code == 200
        words = " ".join(re.sub(r"<[^>]+>", " ", body(ask)).split())
        assert "Are you sure you want to remove this payment?" in words
        assert "Financial remedy" in words and "£250.50" in words and "You cannot undo this." in words
        assert "Yes, remove the payment of £250.50" in words
    assert db.session.get(Payment, remedy.id) is not None
    assert [e.action for e in audited("payment", client.user)].count("delete") == 0

    response = client.post(f"{url}/{remedy.id}/remove", headers=HX, data={"confirm": "yes"})
    assert response.status_code == 200 and "£250.50" not in body(response)
    assert "Payment removed" in body(response)
    assert [e.action for e in audited("payment", client.user)].count("delete") == 1
    cost = db.session.scalars(select(Payment)).one()
    response = client.post(f"{url}/{cost.id}/remove", data={"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#money")
    assert db.session.scalars(select(Payment)).all() == []


def record_cost(record, amount="1300", reason="Independent Person's fee for Stage 2") -> Payment:
    payment = Payment(feedback=record, kind="investigation_cost", amount_pence=int(amount) * 100,
                      paid_on=today() - timedelta(days=3), description=reason)
    db.session.add(payment)
    db.session.commit()
    return payment


def correction(payment: Payment, page: str, **changes) -> dict:
    """The correction form as the case page showed it (its hidden state read from the page), changed."""
    prefix = f"payment-{payment.id}"
    seen = page.split(f'name="{prefix}-seen"')[1].split('value="')[1].split('"')[0]
    sent = {f"{prefix}-kind": payment.kind, f"{prefix}-amount": f"{payment.amount:,.2f}",
            f"{prefix}-paid_on": day_fields(payment.paid_on), f"{prefix}-reason": payment.description,
            f"{prefix}-seen": seen}
    sent.update({f"{prefix}-{name}": value for name, value in changes.items()})
    return sent


def test_a_payment_is_corrected_from_the_case_page_and_the_audit_trail_keeps_what_it_said(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    payment = record_cost(record)
    page = body(client.get(f"/staff/cases/{record.reference}"))
    # The correction form shows the payment as recorded.
    assert 'value="1,300.00"' in page and "Correct the payment of £1,300.00 on" in page

    response = client.post(f"/staff/cases/{record.reference}/payments/{payment.id}", headers=HX,
                           data=correction(payment, page, amount="130"))

    assert response.status_code == 200 and is_fragment(response)
    assert "Payment corrected" in body(response) and "£130.00" in body(response)
    db.session.refresh(payment)
    assert payment.amount_pence == 13000
    update = [e for e in audited("payment", client.user) if e.action == "update"]
    assert update and update[0].old["amount_pence"] == 130000 and update[0].new["amount_pence"] == 13000


def test_a_correction_made_on_what_someone_else_has_since_corrected_is_refused(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    payment = record_cost(record)
    page = body(client.get(f"/staff/cases/{record.reference}"))
    first = client.post(f"/staff/cases/{record.reference}/payments/{payment.id}",
                        data=correction(payment, page, amount="1200"))
    assert first.status_code == 302

    # A second correction sent from the page as it was before the first.
    stale = correction(payment, page, amount="1400")
    response = client.post(f"/staff/cases/{record.reference}/payments/{payment.id}", data=stale)

    assert response.status_code == 200
    assert any("Someone else changed this payment" in item for item in error_summary(body(response)))
    db.session.refresh(payment)
    assert payment.amount_pence == 120000


def test_a_payment_sent_from_an_out_of_date_case_page_is_a_conflict_and_keeps_what_was_typed(signed_in):
    # The page was opened; someone else then changed the case, so the form's version is old.
    client = signed_in("feedback_officer")
    record = make_complaint()
    page = body(client.get(f"/staff/cases/{record.reference}"))
    opened = re.search(rf'action="/staff/cases/{record.reference}/payments"[^>]*>.*?name="version" value="(\d+)"',
                       page, re.S).group(1)
    assert int(opened) == record.version
    record.summary = "Changed by someone else"
    db.session.commit()

    response = client.post(f"/staff/cases/{record.reference}/payments", headers=HX, data={
        "version": opened, "payment-kind": "financial_remedy", "payment-amount": "275",
        "payment-paid_on": day_fields(today()), "payment-decided_by": "Adjudicating manager",
        "payment-reason": "Time and trouble in pursuing it"})

    assert response.status_code == 409 and is_fragment(response)
    text = body(response)
    assert "Someone else changed this record" in text
    assert "Your change, not saved" in text and "275" in text and "Time and trouble in pursuing it" in text
    # The panel's forms now carry the newer version; the rest of the page is left as it was.
    assert set(re.findall(r'name="version" value="(\d+)"', text)) == {str(record.version)}
    assert 'hx-swap-oob="outerHTML:main' not in text
    db.session.refresh(record)
    assert not record.payments


def test_a_bad_correction_is_refused_on_its_field_and_changes_nothing(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    payment = record_cost(record)
    page = body(client.get(f"/staff/cases/{record.reference}"))
    url = f"/staff/cases/{record.reference}/payments/{payment.id}"

    response = client.post(url, data=correction(payment, page, amount="12.345"))
    assert response.status_code == 200
    assert "Amount must be in pounds and pence, with no more than 2 decimal places" in error_summary(body(response))[0]
    assert f'href="#payment-{payment.id}-amount"' in body(response)
    response = client.post(url, headers=HX, data=correction(payment, page, reason=""))
    assert response.status_code == 422 and is_fragment(response)
    db.session.refresh(payment)
    assert payment.amount_pence == 130000 and payment.description == "Independent Person's fee for Stage 2"


def test_only_staff_who_edit_cases_may_correct_a_payment(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    payment = record_cost(record)
    page = body(client.get(f"/staff/cases/{record.reference}"))
    sent = correction(payment, page, amount="1")
    reader = signed_in("team_manager")  # may read cases, not change them
    response = reader.post(f"/staff/cases/{record.reference}/payments/{payment.id}", data=sent)
    assert response.status_code == 403
    db.session.refresh(payment)
    assert payment.amount_pence == 130000


@pytest.mark.parametrize("data, message", [
    ({"payment-amount": "1,30"}, "Enter the amount in pounds and pence, like £1,300 or 1300.50"),
    ({"payment-amount": "12.345"}, "Amount must be in pounds and pence, with no more than 2 decimal places"),
    ({"payment-amount": "0"}, "Amount must be more than £0"),
    ({"payment-amount": ""}, "Enter the amount"),
    ({"payment-kind": "financial_remedy", "payment-decided_by": ""}, "Enter who decided the remedy"),
    ({"payment-paid_on": ["1", "13", "2026"]}, "The date must be a real date"),
    ({"payment-kind": "evil"}, "Select whether this is an investigation cost or a financial remedy"),
])
def test_a_bad_payment_is_refused_on_its_field_never_a_500(signed_in, data, message):
    client = signed_in("feedback_officer")
    record = make_complaint()
    sent = {"payment-kind": "investigation_cost", "payment-amount": "100", "payment-paid_on": day_fields(today()),
            "payment-reason": "Panel fee", **data}
    response = client.post(f"/staff/cases/{record.reference}/payments", data=sent)
    assert response.status_code == 200
    assert any(message in item for item in error_summary(body(response))), error_summary(body(response))
    response = client.post(f"/staff/cases/{record.reference}/payments", data=sent, headers=HX)
    assert response.status_code == 422 and is_fragment(response) and message in body(response)
    assert db.session.scalars(select(Payment)).first() is None


# --- Actions --------------------------------------------------------------------------


def raise_page(client, record, owner, due=None, headers=None, source="2"):
    return client.post(f"/staff/cases/{record.reference}/actions", headers=headers or {}, data={
        "action-source": source, "action-recommendation": "Meet foster carers before ending a placement",
        "action-owner_id": str(owner.id), "action-due_on": day_fields(due or today() + timedelta(days=30))})


def test_an_action_from_stage_2_reaches_its_owners_dashboard_and_is_closed_with_a_note(signed_in, app, make_user):
    officer = signed_in("feedback_officer")
    owner_client = signed_in("team_manager", name="Fran Fostering", team=team("Fostering Team"))
    owner = owner_client.user
    record = make_complaint()
    response = raise_page(officer, record, owner)
    assert response.status_code == 302
    action = db.session.scalars(select(LearningAction)).one()
    assert (action.source, action.owner_id, action.status) == ("2", owner.id, "open")
    assert audited("learning_action", officer.user)

    dashboard = body(owner_client.get("/staff/"))
    assert "My actions" in dashboard and "Meet foster carers before ending a placement" in dashboard

    reminders = learning_actions.monthly_reminders(learning_actions.first_working_day_of_month(
        today().replace(day=1) + timedelta(days=32), current_calendar()))
    assert any(r.to == owner.email and "Meet foster carers" in r.body for r in reminders)

    url = f"/staff/actions/{action.id}/status"
    prefix = f"action-status-{action.id}-"
    response = owner_client.post(url, headers=HX, data={prefix + "status": "done", "back": "/staff/actions"})
    assert response.status_code == 422 and is_fragment(response)
    assert "Enter what was done to complete the action" in body(response)
    assert body(response).lstrip().startswith("<tr")
    response = owner_client.post(url, headers=HX, data={
        prefix + "status": "done", prefix + "completion_note": "Procedure changed; carers now meet the manager.",
        "back": "/staff/actions"})
    assert response.status_code == 200 and is_fragment(response) and "Done on" in body(response)
    db.session.refresh(action)
    assert (action.status, action.completed_on) == ("done", today())
    assert "Meet foster carers" not in body(owner_client.get("/staff/")).split("My actions")[1]
    assert audited("learning_action", owner)


def test_an_action_status_by_plain_post_returns_to_the_plan_with_its_filters(signed_in):
    client = signed_in("feedback_officer")
    record = make_complaint()
    raise_page(client, record, client.user)
    action = db.session.scalars(select(LearningAction)).one()
    prefix = f"action-status-{action.id}-"
    response = client.post(f"/staff/actions/{action.id}/status", data={
        prefix + "status": "in_progress", "back": "/staff/actions?status=not_done"})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/actions?status=not_done"
    response = client.post(f"/staff/actions/{action.id}/status", data={
        prefix + "status": "done", "back": "https://evil.example/staff/actions"})
    assert response.status_code == 200 and "Enter what was done to complete the action" in error_summary(body(response))
    response = client.post(f"/staff/actions/{action.id}/status", data={
        prefix + "status": "done", prefix + "completion_note": "Done", "back": "https://evil.example/"})
    assert response.headers["Location"] == "/staff/actions"
    # From the case page, back to the case page (or its panel with HTMX).
    response = client.post(f"/staff/actions/{action.id}/status", headers=HX, data={
        prefix + "status": "open", "back": "case"})
    assert response.status_code == 200 and 'id="actions"' in body(response) and is_fragment(response)


def test_a_manager_gives_an_action_to_another_owner_with_a_new_due_date(signed_in, make_user):
    manager = signed_in("feedback_manager")
    leaving = make_user("team_manager", name="Lee Leaving", team=team("Fostering Team"))
    taking = make_user("team_manager", name="Tam Taking", team=team("Fostering Team"))
    action = learning_actions.raise_action(make_complaint(), "2", "Review the placement letters", leaving,
                                           today() + timedelta(days=5), manager.user)
    db.session.commit()
    url, prefix = f"/staff/actions/{action.id}/owner", f"action-owner-{action.id}-"
    assert "Change owner or due date" in body(manager.get("/staff/actions"))
    refused = manager.post(url, headers=HX, data={
        prefix + "owner_id": str(taking.id), prefix + "due_on": day_fields(today() - timedelta(days=1)),
        "back": "/staff/actions"})
    assert refused.status_code == 422 and is_fragment(refused)
    assert "The due date must be today or in the future" in body(refused)
    later = today() + timedelta(days=40)
    done = manager.post(url, headers=HX, data={
        prefix + "owner_id": str(taking.id), prefix + "due_on": day_fields(later), "back": "/staff/actions"})
    assert done.status_code == 200 and body(done).lstrip().startswith("<tr")
    assert "Tam Taking" in body(done) and "Owner and due date saved" in body(done)
    db.session.refresh(action)
    assert (action.owner_id, action.due_on) == (taking.id, later)
    assert audited("learning_action", manager.user)
    plain = manager.post(url, data={prefix + "owner_id": str(leaving.id), prefix + "due_on": day_fields(later),
                                    "back": "/staff/actions?status=not_done"})
    assert plain.headers["Location"] == "/staff/actions?status=not_done"
    # The owner may update the status, but only feedback staff give the action away.
    owner = signed_in("team_manager", team=team("Fostering Team"))
    assert "Change owner or due date" not in body(owner.get("/staff/actions"))
    assert owner.post(url, data={prefix + "owner_id": str(taking.id)}).status_code == 403


def test_raising_an_action_refuses_bad_answers(signed_in, make_user):
    client = signed_in("feedback_officer")
    record = make_complaint()
    inactive = make_user("team_manager", active=False)
    page = body(client.post(f"/staff/cases/{record.reference}/actions", data={}))
    assert {"Select where the recommendation came from", "Enter the recommendation", "Select who owns the action",
            "Enter the date the action is due"} <= set(error_summary(page))
    page = body(raise_page(client, record, inactive))
    assert "Select an owner from the list" in error_summary(page)
    response = raise_page(client, record, client.user, due=today() - timedelta(days=1), headers=HX)
    assert response.status_code == 422 and "The due date must be today or in the future" in body(response)
    page = body(raise_page(client, record, client.user, source="9"))
    assert "Select where the recommendation came from" in error_summary(page)
    assert db.session.scalars(select(LearningAction)).first() is None


def test_the_action_plan_filters_in_place_and_marks_overdue_in_words(signed_in, make_user):
    client = signed_in("feedback_manager")
    owner = make_user("feedback_officer", name="Olu Officer")
    record = make_complaint()
    overdue = learning_actions.raise_action(record, "2", "Overdue one", owner, today() - timedelta(days=10),
                                            client.user, today=today() - timedelta(days=20))
    learning_actions.raise_action(record, "ombudsman", "Later one", owner, today() + timedelta(days=10), client.user)
    db.session.commit()
    page = body(client.get("/staff/actions"))
    assert "2 actions, 1 overdue" in page and page.index("Overdue one") < page.index("Later one")
    assert f'id="action-{overdue.id}"' in page
    response = client.get("/staff/actions?overdue=1", headers=HX)
    assert is_fragment(response) and 'id="results"' in body(response)
    assert "Overdue one" in body(response) and "Later one" not in body(response)
    assert "Later one" in body(client.get("/staff/actions?source=ombudsman"))
    assert "Overdue one" not in body(client.get("/staff/actions?source=ombudsman"))
    assert client.get("/staff/actions?owner=x&team=y&from=2026-02-30&status=evil&source=zz").status_code == 200
    full = client.get("/staff/actions", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in body(full)


def test_team_managers_see_and_update_only_their_teams_actions(signed_in, make_user):
    officer = make_user("feedback_officer")
    manager = signed_in("team_manager", team=team("Fostering Team"))
    ours = make_complaint(team_name="Fostering Team")
    theirs = make_complaint(team_name="SEND Team")
    mine = learning_actions.raise_action(ours, "2", "Ours to do", officer, today() + timedelta(days=5), officer)
    other = learning_actions.raise_action(theirs, "2", "Theirs to do", officer, today() + timedelta(days=5), officer)
    db.session.commit()
    page = body(manager.get("/staff/actions"))
    assert "Ours to do" in page and "Theirs to do" not in page
    dashboard = body(manager.get("/staff/"))
    assert "My team&rsquo;s actions" in dashboard and "Ours to do" in dashboard and "Theirs to do" not in dashboard

    response = manager.post(f"/staff/actions/{mine.id}/status", headers=HX, data={
        f"action-status-{mine.id}-status": "in_progress", "back": "/staff/actions"})
    assert response.status_code == 200
    response = manager.post(f"/staff/actions/{other.id}/status", data={
        f"action-status-{other.id}-status": "done", f"action-status-{other.id}-completion_note": "x"})
    assert response.status_code == 404
    db.session.refresh(mine)
    db.session.refresh(other)
    assert (mine.status, other.status) == ("in_progress", "open")
    # They may not raise actions, nor record Ombudsman enquiries or payments.
    assert raise_page(manager, ours, officer).status_code == 403
    assert record_enquiry_page(manager, ours).status_code == 403
    assert manager.post(f"/staff/cases/{ours.reference}/payments", data={}).status_code == 403
    case_page = body(manager.get(f"/staff/cases/{ours.reference}"))
    assert "Update this action" in case_page and "Add a recommendation to the action plan" not in case_page


@pytest.mark.parametrize("role", ["investigating_officer", "report_viewer", "administrator"])
def test_roles_without_the_action_plan_are_refused(signed_in, role):
    client = signed_in(role)
    assert client.get("/staff/actions").status_code == 403


# --- Contact restrictions -------------------------------------------------------------


def letter_data(**changes):
    data = {"letter_issued_on": day_fields(today() - timedelta(days=3)),
            "restrictions": ["single_point_of_contact", "written_contact_only"],
            "reason": "Daily calls to many officers about one complaint", "decided_by": "Mina Manager"}
    data.update(changes)
    return data


def test_a_feedback_manager_records_a_letter_and_it_shows_on_the_persons_cases(signed_in, client):
    manager = signed_in("feedback_manager")
    alex = Person(name="Alex Example", email="alex@example.org")
    record = make_complaint(alex)
    assert manager.get(f"/staff/people/{alex.id}/restrictions/new").status_code == 200
    response = manager.post(f"/staff/people/{alex.id}/restrictions/new", data=letter_data())
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/people/{alex.id}"
    restriction = db.session.scalars(select(ContactRestriction)).one()
    assert restriction.review_on == restrictions.default_review_date(today() - timedelta(days=3))
    assert audited("contact_restriction", manager.user)

    person_page = body(manager.get(f"/staff/people/{alex.id}"))
    case_page = body(manager.get(f"/staff/cases/{record.reference}"))
    for page in (person_page, case_page):
        assert 'id="restriction-notice"' in page
        assert "Single point of contact" in page and "Written contact only" in page
        assert "never stop a new complaint being considered on its merits" in page
    officer_page = body(signed_in("feedback_officer").get(f"/staff/cases/{record.reference}"))
    assert 'id="restriction-notice"' in officer_page and "Record a review" not in officer_page

    # A new complaint from them through the public form still arrives in triage. It is a
    # person of its own until staff check and merge (a form's details are unchecked:
    # docs/security.md); then the notice shows on it too.
    reference = reference_in(body(send(client, "complaint", COMPLAINT)))
    new = db.session.scalars(select(Feedback).where(Feedback.reference == reference)).one()
    assert new.person_id != alex.id and new.status == "new"
    assert reference in body(manager.get("/staff/inbox?status=new"))
    page = body(manager.get(f"/staff/cases/{reference}"))
    assert f"Person {alex.id}: Alex Example</a> has the same email address" in page
    assert manager.post(f"/staff/people/{alex.id}", data={"other": str(new.person_id)}).status_code == 302
    assert 'id="restriction-notice"' in body(manager.get(f"/staff/cases/{reference}"))


def test_a_letter_with_bad_answers_shows_errors(signed_in):
    manager = signed_in("feedback_manager")
    alex = make_complaint().person
    url = f"/staff/people/{alex.id}/restrictions/new"
    page = body(manager.post(url, data={}))
    assert {"Enter the date of the letter", "Enter the reason for the restrictions",
            "Enter who decided the restrictions"} <= set(error_summary(page))
    page = body(manager.post(url, data=letter_data(restrictions=[])))
    assert "Select at least one restriction" in error_summary(page)
    page = body(manager.post(url, data=letter_data(restrictions=["no_visits_ever"])))
    assert error_summary(page)
    page = body(manager.post(url, data=letter_data(review_on=day_fields(today() - timedelta(days=10)))))
    assert "The review date must be after the date of the letter" in error_summary(page)
    assert manager.get("/staff/people/99999/restrictions/new").status_code == 404
    assert db.session.scalars(select(ContactRestriction)).first() is None


@pytest.mark.parametrize("role", ["feedback_officer", "team_manager", "investigating_officer", "administrator"])
def test_only_feedback_managers_decide_restrictions(signed_in, role):
    client = signed_in(role)
    alex = make_complaint().person
    restriction = restrictions.record_letter(alex, today(), ["written_contact_only"], "Reason", "Mina",
                                             client.user)
    db.session.commit()
    assert client.post(f"/staff/people/{alex.id}/restrictions/new", data=letter_data()).status_code == 403
    assert client.get(f"/staff/restrictions/{restriction.id}/review").status_code == 403
    assert client.get("/staff/restrictions").status_code == 403


def test_a_review_comes_up_on_its_date_and_is_recorded(signed_in, make_user):
    manager = signed_in("feedback_manager")
    alex = make_complaint().person
    restriction = restrictions.record_letter(
        alex, today() - timedelta(days=200), ["limited_phone_calls"], "Many calls", "Mina Manager",
        manager.user, review_on=today() - timedelta(days=1), today=today() - timedelta(days=200))
    db.session.commit()
    dashboard = body(manager.get("/staff/"))
    assert "Contact restrictions due for review" in dashboard and alex.name in dashboard
    listing = body(manager.get("/staff/restrictions"))
    assert 'id="reviews-due"' in listing and "Limited phone calls" in listing
    url = f"/staff/restrictions/{restriction.id}/review"
    assert manager.get(url).status_code == 200
    page = body(manager.post(url, data={"reviewed_on": day_fields(today()), "outcome": "renewed"}))
    assert "Enter the reasons for renewing the restrictions" in error_summary(page)
    page = body(manager.post(url, data={"reviewed_on": ["x", "y", "z"], "outcome": "bogus"}))
    assert "The date of the review must be a real date" in error_summary(page)
    response = manager.post(url, data={"reviewed_on": day_fields(today()), "outcome": "renewed",
                                       "reasons": "Calls continued"})
    assert response.status_code == 302
    db.session.refresh(restriction)
    assert restriction.review_result == "Renewed: Calls continued"
    assert restriction.review_on == restrictions.default_review_date(today())
    assert "Contact restrictions due for review" not in body(manager.get("/staff/"))
    manager.post(url, data={"reviewed_on": day_fields(today()), "outcome": "lifted"})
    assert 'id="restriction-notice"' not in body(manager.get(f"/staff/people/{alex.id}"))
    assert [e.action for e in audited("contact_restriction", manager.user)].count("update") == 2


# --- Who sees the panels -------------------------------------------------------------


def test_the_case_page_shows_the_panels_and_the_forms_by_role(signed_in, make_user):
    record = make_complaint()
    officer = signed_in("feedback_officer")
    page = body(officer.get(f"/staff/cases/{record.reference}"))
    for text in ('id="ombudsman"', 'id="money"', 'id="actions"', "Record an Ombudsman enquiry about this case",
                 "Record a cost or a remedy", "Add a recommendation to the action plan"):
        assert text in page
    io = signed_in("investigating_officer")
    record.assigned_to_id = io.user.id
    db.session.commit()
    page = body(io.get(f"/staff/cases/{record.reference}"))
    assert 'id="ombudsman"' in page and "Record an Ombudsman enquiry about this case" not in page
    assert io.post(f"/staff/cases/{record.reference}/ombudsman", data={}).status_code == 403


def test_objects_of_another_case_are_not_found(signed_in):
    client = signed_in("feedback_officer")
    first, second = make_complaint(), make_complaint()
    enquiry = ombudsman.record_enquiry(first, "1", today(), client.user)
    recommendation = ombudsman.add_recommendation(enquiry, "Do it", today(), client.user)
    db.session.commit()
    assert client.post(f"/staff/cases/{second.reference}/ombudsman/{enquiry.id}/decision").status_code == 404
    assert client.post(
        f"/staff/cases/{second.reference}/recommendations/{recommendation.id}/compliance").status_code == 404
    assert client.post(f"/staff/cases/{second.reference}/payments/12345/remove").status_code == 404
    assert client.post("/staff/actions/12345/status").status_code == 404


def test_only_staff_who_have_set_up_their_account_are_offered_as_action_owners(signed_in, make_user):
    """Issue 13: accounts never set up (no password yet) and inactive ones were offered as
    action owners, so an action went to someone who could not sign in to see it."""
    client = signed_in("feedback_officer")
    ready = make_user("team_manager", name="Fran Fostering", team=team("Fostering Team"))
    invited = make_user("team_manager", name="Ivy Invited", team=team("Fostering Team"), password=None,
                        enrolled=False)
    gone = make_user("feedback_officer", name="Len Leaver", active=False)
    record = make_complaint()
    page = body(client.get(f"/staff/cases/{record.reference}"))
    owners = re.search(r'<select[^>]*id="action-owner_id".*?</select>', page, re.S).group(0)
    assert "Fran Fostering" in owners and client.user.name in owners
    assert "Ivy Invited" not in owners and "Len Leaver" not in owners
    # Posted anyway (from an old page), they are refused in words.
    for someone in (invited, gone):
        response = raise_page(client, record, someone)
        assert "Select" in " ".join(error_summary(body(response)))
    assert db.session.scalars(select(LearningAction)).all() == []
    assert raise_page(client, record, ready).status_code == 302
