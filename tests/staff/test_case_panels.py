"""A change made in place on the case page (HTMX) updates every other part of the page
that shows what it changed, decided in one place (staff/case/page.py, ``ALSO_SHOWN_IN``;
docs/casework.md, "What a change in place updates"); the same change by plain post
gives the whole page as it now is. Issue 13: after "Resolved informally" the page
still said "New", "We are looking at this" and the due date until reloaded; after "Add
to the action plan" from an Ombudsman recommendation the Actions panel still said there
were none."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest
import time_machine
from sqlalchemy import select

from portal import widgets
from portal.extensions import db
from portal.models import Feedback, LearningAction, OutboxMessage, Person, Team
from portal.services.casework import ombudsman
from tests import factories

HX = {"HX-Request": "true"}
# Tuesday 1 December 2026; the record came on Monday 30 November.
CLOCK = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
RECEIVED = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(CLOCK, tick=False):
        yield


class _OutOfBand(HTMLParser):
    """The text of each element sent to be swapped out of band, by its id."""

    VOID = {"input", "br", "img", "hr", "meta", "link", "col", "area", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts: dict[str, str] = {}
        self.open: list[list] = []  # [id, depth, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            return
        for part in self.open:
            part[1] += 1
        if attrs.get("hx-swap-oob") == "true":
            self.open.append([attrs["id"], 1, []])

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        for part in list(self.open):
            part[1] -= 1
            if part[1] == 0:
                self.parts[part[0]] = " ".join(" ".join(part[2]).split())
                self.open.remove(part)

    def handle_data(self, data):
        for part in self.open:
            part[2].append(data)


def out_of_band(response) -> dict[str, str]:
    parser = _OutOfBand()
    parser.feed(response.get_data(as_text=True))
    return parser.parts


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def new_contact(**fields) -> Feedback:
    values = dict(received_on=RECEIVED, channel="web", summary="Nobody rang back", due_on=date(2026, 12, 7),
                  person=Person(name="Sam Parent", email="sam@example.org"))
    return factories.record(**{"kind": "initial_contact", **values, **fields})


def complaint_with_a_recommendation(user):
    """A statutory complaint whose Stage 2 has responded, with an Ombudsman enquiry and
    one recommendation not yet on the action plan."""
    record = factories.after_stage_2((date(2026, 8, 3), date(2026, 8, 17)), (date(2026, 9, 2), date(2026, 10, 30)),
                                     reference="CF-2026-00900",
                                     person=Person(name="Sam Parent", email="sam@example.org"))
    enquiry = ombudsman.record_enquiry(record, "23 000 001", date(2026, 11, 2), user)
    recommendation = ombudsman.add_recommendation(enquiry, "Train the team in ending placements",
                                                  date(2027, 1, 15), user)
    db.session.commit()
    return record, recommendation


def resolve(client, record, headers=None):
    return client.post(f"/staff/cases/{record.reference}/outcome", headers=headers or {}, data={
        "version": record.version, "outcome": "resolved", "resolution": "Called them back.",
        "outcome_on": ["1", "12", "2026"]})


def test_resolving_in_place_updates_the_status_what_the_person_sees_and_the_due_date(signed_in):
    client = signed_in("feedback_officer")
    record = new_contact()
    page = client.get(f"/staff/cases/{record.reference}").get_data(as_text=True)
    assert "We are looking at this (We aim to contact you by 7 December 2026)" in page
    assert re.search(r'id="case-due">\s*7 December 2026', page)

    parts = out_of_band(resolve(client, record, HX))

    assert "Closed" in parts["case-tags"] and "New" not in parts["case-tags"]
    assert "We have resolved this" in parts["case-facts"] and "We are looking at this" not in parts["case-facts"]
    assert parts["case-due"] == "None"
    assert "Resolved informally: Called them back." in parts["timeline"]


def test_resolving_by_plain_post_shows_the_whole_page_as_it_now_is(signed_in):
    client = signed_in("feedback_officer")
    record = new_contact()
    response = resolve(client, record)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    tags = re.search(r'id="case-tags">(.*?)</p>', page, re.S).group(1)
    assert "Closed" in tags and "New" not in tags
    assert "We have resolved this" in page and "We are looking at this" not in page
    assert re.search(r'id="case-due">\s*<span class="govuk-body-s">None</span>', page)


def test_adding_a_recommendation_to_the_action_plan_in_place_shows_it_in_the_actions_panel(signed_in, make_user):
    client = signed_in("feedback_officer")
    owner = make_user("team_manager", name="Fran Fostering")
    record, recommendation = complaint_with_a_recommendation(client.user)
    assert "No actions on the action plan from this case." in client.get(
        f"/staff/cases/{record.reference}").get_data(as_text=True)

    response = client.post(f"/staff/cases/{record.reference}/recommendations/{recommendation.id}/action",
                           headers=HX, data={f"from-recommendation-{recommendation.id}-owner_id": owner.id})

    assert response.status_code == 200
    assert db.session.scalars(select(LearningAction)).one().recommendation_id == recommendation.id
    actions = out_of_band(response)["actions"]
    assert "No actions" not in actions
    assert "Train the team in ending placements" in actions and "Fran Fostering" in actions


def test_starting_the_next_stage_in_place_updates_the_tags_and_what_the_actions_panel_offers(signed_in):
    client = signed_in("feedback_officer")
    record, _ = complaint_with_a_recommendation(client.user)
    response = client.post(f"/staff/cases/{record.reference}/next-stage", headers=HX, data={
        "version": record.version, "requested_on": ["20", "11", "2026"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    parts = out_of_band(response)
    assert "Statutory complaint, stage 3" in parts["case-tags"]
    assert "Your complaint is at Stage 3 (review panel)" in parts["case-facts"]
    assert re.search(r'<option value="3">[^<]*3', response.get_data(as_text=True).split('id="actions"')[1])


def test_classifying_a_shared_compliment_in_place_names_the_new_team(signed_in):
    client = signed_in("feedback_officer")
    fostering, send = (db.session.scalars(select(Team).where(Team.name == name)).one()
                       for name in ("Fostering Team", "SEND Team"))
    record = new_contact(kind="compliment", outcome=None, team=fostering, shared_on=RECEIVED)
    response = client.post(f"/staff/cases/{record.reference}/classify", headers=HX, data={
        "version": record.version, "team_id": send.id, "theme_id": ""})
    assert response.status_code == 200
    assert "Shared with SEND Team’s manager" in out_of_band(response)["compliment"]


def test_a_complaint_is_classified_by_plain_post_though_it_has_no_category(signed_in):
    # The form asked only an initial contact its category, yet refused every other
    # record without one: "Not a valid choice", linked to a question not on the page.
    client = signed_in("feedback_officer")
    send = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    record, _ = complaint_with_a_recommendation(client.user)
    response = client.post(f"/staff/cases/{record.reference}/classify", data={
        "version": record.version, "team_id": send.id, "theme_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(record)
    assert record.team_id == send.id


def test_a_refused_change_in_place_swaps_only_its_panel_and_the_timeline(signed_in):
    client = signed_in("feedback_officer")
    record = new_contact()
    response = client.post(f"/staff/cases/{record.reference}/outcome", headers=HX, data={"version": record.version})
    assert response.status_code == 422
    assert set(out_of_band(response)) == {"timeline"}


def test_every_part_sent_out_of_band_is_on_the_page_once(signed_in, make_user):
    client = signed_in("feedback_officer")
    owner = make_user("team_manager", name="Fran Fostering")
    record, recommendation = complaint_with_a_recommendation(client.user)
    response = client.post(f"/staff/cases/{record.reference}/recommendations/{recommendation.id}/action",
                           headers=HX, data={f"from-recommendation-{recommendation.id}-owner_id": owner.id})
    page = client.get(f"/staff/cases/{record.reference}").get_data(as_text=True)
    on_page = ids(page)
    assert sorted({i for i in on_page if on_page.count(i) > 1}) == []
    sent = out_of_band(response)
    assert set(sent) == {"timeline", "case-tags", "case-facts", "case-due", "actions"}
    assert all(on_page.count(part) == 1 for part in sent)
    # The swapped-in panel and the parts sent with it repeat no id between them.
    swapped = ids(response.get_data(as_text=True))
    assert sorted({i for i in swapped if swapped.count(i) > 1}) == []


def test_not_accepting_in_place_closes_the_record_and_the_outcome_panel_has_nothing_left_to_record(signed_in):
    client = signed_in("feedback_officer")
    record = new_contact(formal_complaint_requested=True)
    response = client.post(f"/staff/cases/{record.reference}/not-accepted", headers=HX, data={
        "version": record.version, "not_accepted_reason": "other_body",
        "not_accepted_detail": "This is about a GP, so the NHS handles it.",
        "not_accepted_on": ["1", "12", "2026"]})
    assert response.status_code == 200
    parts = out_of_band(response)
    assert "Closed" in parts["case-tags"]
    assert "Record outcome" not in parts["outcome"]
    assert "Not accepted: A matter for another body. This is about a GP, so the NHS handles it." in parts["timeline"]
    assert "Not accepted on Tuesday 1 December 2026: A matter for another body." in response.get_data(as_text=True)
    # Nothing mailed: the panel leads to the decision letter (issue 18).
    assert OutboxMessage.query.filter_by(purpose="not_accepted").count() == 0
    assert (f'href="/staff/cases/{record.reference}/letters/new?purpose=not_accepted" id="write-not-accepted"'
            in response.get_data(as_text=True))


def test_not_accepting_without_a_reason_by_plain_post_shows_the_error_summary_and_keeps_what_was_typed(signed_in):
    client = signed_in("feedback_officer")
    record = new_contact()
    response = client.post(f"/staff/cases/{record.reference}/not-accepted", data={
        "version": record.version, "not_accepted_detail": "Already answered in March.",
        "not_accepted_on": ["1", "12", "2026"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "Select why the complaint is not accepted" in page
    assert "Already answered in March." in page
    db.session.refresh(record)
    assert record.not_accepted_on is None and record.status != "closed"


@pytest.mark.parametrize("kind", ["initial_contact", "statutory", "corporate", "compliment"])
def test_the_case_page_with_its_fields_kept_is_byte_for_byte_the_page_drawn_afresh(app, signed_in, kind,
                                                                                   monkeypatch):
    """Issue 23: the case page's fields are drawn once through the GOV.UK macros and kept
    (portal/widgets.py); the page must be the one the macros draw, on its first view and
    on later ones, and for another record that shows other values in the same fields."""
    if kind in ("initial_contact", "compliment"):
        records = [factories.record(kind, received_on=RECEIVED, summary=f"Case {n}") for n in range(2)]
        db.session.commit()
    else:
        records = [factories.complaint(factories.stage(RECEIVED, elements=2, summary=f"Case {n}"), procedure=kind)
                   for n in range(2)]
    client = signed_in("feedback_manager")

    def page(record, afresh=False):
        with monkeypatch.context() as patched:
            if afresh:  # every field through the GOV.UK macro, as before fields were kept
                patched.setattr(widgets, "kept", lambda name, params, draw: draw(params))
            body = client.get(f"/staff/cases/{record.reference}").get_data(as_text=True)
        # (but for its token and nonce, each page's own)
        return re.sub(r'(csrf_token" value="|X-CSRFToken&#34;: &#34;|nonce=")[^"&]+', r"\1", body)

    for record in records:
        drawn = page(record, afresh=True)
        assert 'class="govuk-form-group' in drawn
        assert page(record) == drawn  # kept from this record's own first view
    assert page(records[0]) == page(records[0], afresh=True)  # kept from another record's
