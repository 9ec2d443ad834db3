"""The staff pages: the access log and who viewed a case, legal holds, removing personal
data with a confirmation, retention rules, erasure, and a subject access release."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AccessLogEntry, AuditEntry, Feedback, LegalHold, Person, RetentionRule
from portal.services.common.dates import today
from tests.staff.conftest import error_summary


@pytest.fixture
def case(app):
    record = Feedback(
        reference="CF-2020-00001", kind="initial_contact", received_on=date(2020, 1, 6), channel="phone",
        submitter_role="parent_or_carer", summary="The school bus never came for Robin.",
        outcome="resolved", outcome_on=date(2020, 1, 10), resolution="Apologised to Pat",
        on_behalf_of_child=True, on_behalf_of_name="Robin Pupil",
        person=Person(name="Pat Parent", email="pat@private.example", phone="07700 900555",
                      phone_key="07700900555"),
    )
    db.session.add(record)
    db.session.commit()
    return record


def test_every_view_of_a_case_is_logged_and_managers_see_who(signed_in, case, get_page):
    officer = signed_in("feedback_officer")
    assert officer.get("/staff/cases/CF-2020-00001").status_code == 200
    entry = db.session.scalar(select(AccessLogEntry))
    assert (entry.what, entry.feedback_id, entry.staff_user_id) == ("case", case.id, officer.user.id)
    assert officer.get("/staff/cases/CF-2020-00001/viewers").status_code == 403

    manager = signed_in("feedback_manager")
    page = get_page(manager, "/staff/cases/CF-2020-00001")
    assert "Who viewed this case" in page and "/staff/cases/CF-2020-00001/viewers" in page
    viewers = get_page(manager, "/staff/cases/CF-2020-00001/viewers")
    assert officer.user.name in viewers and manager.user.name in viewers

    admin = signed_in("administrator")
    assert admin.get("/staff/cases/CF-2020-00001").status_code == 403
    response = admin.get("/staff/data-protection?reference=cf-2020-00001")
    assert response.status_code == 302 and response.headers["Location"].endswith("/viewers")
    assert officer.user.name in get_page(admin, "/staff/cases/CF-2020-00001/viewers")


def test_a_view_of_a_persons_record_is_logged(signed_in, case):
    officer = signed_in("feedback_officer")
    assert officer.get(f"/staff/people/{case.person_id}").status_code == 200
    entry = db.session.scalar(select(AccessLogEntry).where(AccessLogEntry.what == "person"))
    assert entry.person_id == case.person_id and entry.staff_user_id == officer.user.id


def test_legal_holds_on_a_case_need_a_reason_and_stop_removal(signed_in, case, get_page):
    manager = signed_in("feedback_manager")
    page = manager.post("/staff/cases/CF-2020-00001/legal-holds", data={"reason": ""}).get_data(as_text=True)
    assert error_summary(page) == ["Enter why the record must be kept"]
    response = manager.post("/staff/cases/CF-2020-00001/legal-holds", data={"reason": "Claim against us"})
    assert response.status_code == 302
    hold = db.session.scalar(select(LegalHold))
    assert hold.feedback_id == case.id and hold.placed_by_id == manager.user.id

    purge_page = get_page(manager, "/staff/data-protection/purge")
    assert "Kept because of a legal hold" in purge_page and "Nothing is due for removal today" in purge_page

    manager.post(f"/staff/legal-holds/{hold.id}/lift", data={"lift_reason": "Claim settled"})
    db.session.refresh(hold)
    assert hold.lifted_at is not None and hold.lift_reason == "Claim settled"
    assert "Yes, remove personal data" in get_page(manager, "/staff/data-protection/purge")
    assert signed_in("feedback_officer").get("/staff/cases/CF-2020-00001/legal-holds").status_code == 403


def test_removing_personal_data_lists_first_then_asks_for_confirmation(signed_in, case, get_page):
    manager = signed_in("feedback_manager")
    page = get_page(manager, "/staff/data-protection/purge")
    assert "CF-2020-00001" in page and "Yes, remove personal data" in page
    assert case.purged_at is None  # the list changes nothing

    stale = manager.post("/staff/data-protection/purge", data={"listed": "CF-1999-00001"}).get_data(as_text=True)
    assert "The list changed while you were reading it" in stale
    response = manager.post("/staff/data-protection/purge", data={"listed": "CF-2020-00001"})
    assert response.status_code == 302
    db.session.expire_all()
    record = db.session.get(Feedback, case.id)
    assert record.purged_at is not None and record.summary == "" and record.person_id is None
    assert db.session.scalar(select(Person).where(Person.name == "Pat Parent")) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention_purge"))
    assert entry.actor_id == manager.user.id and entry.new["records"]["initial_contact"] == 1

    page = get_page(manager, "/staff/cases/CF-2020-00001")
    assert "Personal data removed on" in page and "Pat Parent" not in page


def test_administrators_set_the_retention_rules(signed_in, app, get_page):
    admin = signed_in("administrator")
    page = get_page(admin, "/staff/data-protection/retention")
    assert 'value="24"' in page and 'value="72"' in page
    data = {"compliment": "12", "initial_contact": "seventy", "complaint": "", "contact_restriction": "72"}
    page = admin.post("/staff/data-protection/retention", data=data).get_data(as_text=True)
    assert error_summary(page) == ["Months must be a whole number between 1 and 1200",
                                   "Enter how many months complaints are kept"]
    data.update(initial_contact="60", complaint="84")
    assert admin.post("/staff/data-protection/retention", data=data).status_code == 302
    assert db.session.get(RetentionRule, "complaint").months == 84
    assert signed_in("feedback_manager").get("/staff/data-protection/retention").status_code == 403


def test_erasure_on_request_is_refused_while_a_hold_stands(signed_in, case, get_page):
    manager = signed_in("feedback_manager")
    person_id = case.person_id
    manager.post(f"/staff/data-protection/people/{person_id}/legal-holds", data={"reason": "Police enquiry"})
    page = get_page(manager, f"/staff/data-protection/people/{person_id}/erase")
    assert "Lift it before erasing" in page
    manager.post(f"/staff/data-protection/people/{person_id}/erase")
    assert db.session.get(Person, person_id) is not None

    hold = db.session.scalar(select(LegalHold))
    manager.post(f"/staff/legal-holds/{hold.id}/lift", data={})
    assert manager.post(f"/staff/data-protection/people/{person_id}/erase").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, person_id) is None
    assert db.session.get(Feedback, case.id).purged_at is not None


def test_correcting_a_persons_details_is_audited(signed_in, case):
    manager = signed_in("feedback_manager")
    response = manager.post(f"/staff/data-protection/people/{case.person_id}/details",
                            data={"name": "Pat Parent-Jones", "email": "not an email", "phone": "", "address": ""})
    assert error_summary(response.get_data(as_text=True))
    manager.post(f"/staff/data-protection/people/{case.person_id}/details",
                 data={"name": "Pat Parent-Jones", "email": "pat@private.example", "phone": "", "address": ""})
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "person",
                                                       AuditEntry.action == "update")).all()[-1]
    assert entry.old["name"] == "Pat Parent" and entry.new["name"] == "Pat Parent-Jones"
    assert entry.actor_id == manager.user.id


def test_a_persons_page_lists_records_naming_them_apart_from_their_own(signed_in, case):
    """Issue 14, item 7: a name alone no longer puts a record in someone's release; staff
    still see the records that name them, to check by hand."""
    robin = Person(name="Robin Pupil")
    db.session.add(robin)
    db.session.commit()
    page = signed_in("feedback_manager").get(f"/staff/data-protection/people/{robin.id}").get_data(as_text=True)
    records, named = page.split("Other people&rsquo;s records that name someone called Robin Pupil")
    assert "CF-2020-00001" not in records and "None." in records
    assert "CF-2020-00001" in named and "not in their subject access release" in named


def test_a_subject_access_release_with_a_redaction(signed_in, case, get_page):
    manager = signed_in("feedback_manager")
    found = get_page(manager, "/staff/subject-access?q=pat@private.example")
    assert f"/staff/subject-access/new/{case.person_id}" in found

    page = manager.post(f"/staff/subject-access/new/{case.person_id}",
                        data={"received_on": ["31", "2", "2024"]}).get_data(as_text=True)
    assert error_summary(page) == ["The date the request was received must be a real date"]
    received = today() - timedelta(days=3)
    response = manager.post(f"/staff/subject-access/new/{case.person_id}",
                            data={"received_on": [str(received.day), str(received.month), str(received.year)]})
    assert response.status_code == 302
    url = response.headers["Location"]
    page = get_page(manager, url)
    assert "Due in" in page and "Apologised to Pat" in page
    assert 'value="records/0/resolution"' in page

    assert manager.post(url, data={"redact": ["records/0/resolution"]}).status_code == 302
    assert manager.post(url + "/release").status_code == 302
    # Two banners on one page (the release's flash and the page's notice), each with its
    # own title id: get_page fails on a repeated id.
    page = get_page(manager, url)
    assert "Released within the deadline" in page

    release = json.loads(manager.get(url + "/release.json").get_data())
    assert release["records"][0]["resolution"] == "[redacted]"
    assert release["records"][0]["summary"] == "The school bus never came for Robin."
    db.session.refresh(case)
    assert case.resolution == "Apologised to Pat"  # the record itself is unchanged

    pdf = manager.get(url + "/release.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf.data, capture_output=True, check=True).stdout
        assert b"[redacted]" in text and b"Apologised" not in text

    actions = [e.action for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "subject_access_request").order_by(AuditEntry.id))]
    assert "subject_access_release" in actions and actions.count("export") == 2
    assert db.session.scalar(select(db.func.count(AccessLogEntry.id)).where(
        AccessLogEntry.what == "subject_access_release")) == 2
    assert signed_in("feedback_officer").get(url).status_code == 403


def test_the_privacy_notice_says_what_is_kept_how_long_and_how_to_ask(client, get_page):
    page = get_page(client, "/privacy")
    assert "two years" in page and "six years" in page and "one calendar month" in page
