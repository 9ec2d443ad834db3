"""The case page's Child and Advocacy panels and the child's page (issue 20): naming
and linking a child by plain post and in place, the suggested matches, merging two
records of one child (feedback managers only), and advocacy recorded from the panel."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import time_machine
from sqlalchemy import select

from portal.extensions import db
from portal.models import Child, Feedback
from tests import factories
from tests.staff.conftest import error_summary

HX = {"HX-Request": "true"}
CLOCK = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(CLOCK, tick=False):
        yield


def child_details(record, **fields):
    return {"version": record.version, "child_name": "Jayden Whitmore", "date_of_birth": ["27", "3", "2012"], "record_number": "LL-204817",
            "school": "Hillside Academy", "statuses": ["in_care", "ehc_plan"], **fields}


def test_naming_the_child_by_plain_post_shows_them_on_the_case_page(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30))
    response = client.post(f"/staff/cases/{record.reference}/child", data=child_details(record))
    assert response.status_code == 302 and response.headers["Location"].endswith("#child")
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "Jayden Whitmore" in page.text and "LL-204817" in page.text and "Child in care" in page.text


def test_naming_the_child_in_place_answers_with_the_panel(signed_in):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30))
    response = client.post(f"/staff/cases/{record.reference}/child", data=child_details(record), headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith('<section id="child"') and "Child&#39;s details saved" in body or "details saved" in body
    assert 'id="timeline"' in body  # the timeline, out of band


def test_a_refused_child_keeps_what_was_typed(signed_in):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30))
    response = client.post(f"/staff/cases/{record.reference}/child",
                           data=child_details(record, child_name="", record_number="", date_of_birth=["", "", ""]),
                           headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Enter the child&#39;s name, date of birth or record number" in body
    assert 'value="Hillside Academy"' in body
    assert db.session.scalars(select(Child)).all() == []


def test_a_suggested_child_is_linked_and_a_manager_merges_two_records(signed_in, get_page):
    officer, manager = signed_in("feedback_officer"), signed_in("feedback_manager")
    held = factories.initial_contact(received_on=date(2026, 11, 2),
                                     child=Child(name="Jayden Whitmore", record_number="LL-204817",
                                                 statuses=["in_care", "ehc_plan"]))
    record = factories.initial_contact(received_on=date(2026, 11, 30),
                                       child=Child(name="Jay Whitmore", record_number="ll-204817", statuses=[]))
    page = get_page(officer, f"/staff/cases/{record.reference}")
    assert f"Child {held.child.id}: Jayden Whitmore" in page.text  # suggested, not made
    duplicate = record.child.id
    # An officer may not merge; a feedback manager may.
    assert officer.post(f"/staff/children/{held.child.id}/merge", data={"other": duplicate}).status_code == 403
    response = manager.post(f"/staff/children/{held.child.id}/merge", data={"other": duplicate})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Feedback, record.id).child_id == held.child_id
    page = get_page(manager, f"/staff/children/{held.child_id}")
    assert record.reference in page.text and held.reference in page.text
    assert f"Child {duplicate} merged into this record" in page.text
    assert "Child in care, EHC plan" in page.text


def test_merging_two_different_record_numbers_is_refused_on_the_page(signed_in):
    manager = signed_in("feedback_manager")
    a = factories.initial_contact(child=Child(name="Jayden Whitmore", record_number="LL-1", statuses=[]))
    b = factories.initial_contact(child=Child(name="Jayden Whitmore", record_number="LL-2", statuses=[]))
    response = manager.post(f"/staff/children/{a.child_id}/merge", data={"other": b.child_id})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error: " in page
    assert any("different record number" in e for e in error_summary(page))


def test_a_child_is_seen_only_by_those_who_may_see_one_of_their_cases(signed_in, get_page):
    record = factories.initial_contact(child=Child(name="Jayden Whitmore", statuses=[]))
    get_page(signed_in("investigating_officer"), f"/staff/children/{record.child_id}", status=404)


def test_advocacy_from_the_panel_pauses_the_stage_and_shows_on_the_procedure_panel(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.complaint(factories.stage(date(2026, 11, 2)), submitter_role="child_or_young_person")
    data = {"version": record.version, "offered_on": ["3", "11", "2026"],
            "offered_how": "phone", "advocacy_answer": "accepted", "answered_on": ["3", "11", "2026"], "advocacy_service": "Coram Voice",
            "referred_on": ["4", "11", "2026"],
            "pause_while_waiting": "y"}
    response = client.post(f"/staff/cases/{record.reference}/advocacy", data=data, headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    body = response.get_data(as_text=True)
    assert 'id="procedure"' in body  # the procedure panel, out of band: Stage 1 is paused
    db.session.expire_all()
    assert db.session.get(Feedback, record.id).advocacy.pause.started_on == date(2026, 11, 4)
    page = get_page(client, f"/staff/cases/{record.reference}")
    assert "Coram Voice" in page.text and "paused from" in page.text


def test_advocacy_out_of_order_is_refused_on_its_field(signed_in):
    client = signed_in("feedback_officer")
    record = factories.complaint(factories.stage(date(2026, 11, 2)))
    response = client.post(f"/staff/cases/{record.reference}/advocacy", data={
        "version": record.version, "advocacy_service": "Coram Voice",
        "referred_on": ["4", "11", "2026"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert error_summary(page) == ["Record that the child accepted an advocate before the referral"]
    assert 'value="Coram Voice"' in page


# --- The child in the case's header (always in view with the reference, the person, the
# status and the due date) -----------------------------------------------------------------


def header_of(page_text: str) -> str:
    start = page_text.index('class="moj-identity-bar app-case-header"')
    return page_text[start:page_text.index("</dl>", start)]


def test_the_case_header_names_the_child_with_their_circumstances_as_badges(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30), child=Child(
        name="Jayden Whitmore", date_of_birth=date(2012, 3, 27), statuses=["in_care", "ehc_plan"]))
    header = header_of(str(get_page(client, f"/staff/cases/{record.reference}")))
    assert record.reference in header
    assert f'href="/staff/children/{record.child_id}">Jayden Whitmore</a>, born 27 March 2012' in header
    assert '<strong class="moj-badge moj-badge--purple">Child in care</strong>' in header
    assert '<strong class="moj-badge moj-badge--blue">EHC plan</strong>' in header
    assert 'id="case-child" hidden' not in header


def test_without_a_child_the_header_says_nothing_of_one(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30))
    header = header_of(str(get_page(client, f"/staff/cases/{record.reference}")))
    assert '<div id="case-child" hidden>' in header  # there to be filled in place, not shown
    compliment = factories.compliment(received_on=date(2026, 11, 30))
    assert 'id="case-child"' not in get_page(client, f"/staff/cases/{compliment.reference}").text


def test_naming_the_child_in_place_puts_them_in_the_header_out_of_band(signed_in):
    from tests.staff.test_case_panels import out_of_band

    client = signed_in("feedback_officer")
    record = factories.initial_contact(received_on=date(2026, 11, 30))
    response = client.post(f"/staff/cases/{record.reference}/child", data=child_details(record), headers=HX)
    assert response.status_code == 200
    sent = out_of_band(response)
    assert sent["case-child"] == "Child Jayden Whitmore , born 27 March 2012 Child in care EHC plan"
    assert 'id="case-child" hidden' not in response.get_data(as_text=True)
