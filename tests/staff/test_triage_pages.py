"""Triage through the staff pages: the inbox, logging a call, the case page's panels,
edit conflicts, HTMX fragments and who may see what."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import quote

import pytest

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, OutboxMessage, Person, Team
from portal.services.triage import decisions
from portal.services.common.dates import today
from tests import factories
from tests.staff.conftest import error_summary


def make_record(**fields) -> Feedback:
    """A new record from the web form: an initial contact unless told."""
    return factories.record(**{"kind": "initial_contact", "channel": "web", **fields})


def record_outcome(client, record: Feedback, htmx: bool = False, **answers):
    """Send the case page's outcome form, dated today, at the record's version."""
    on = today()
    return client.post(f"/staff/cases/{record.reference}/outcome", headers={"HX-Request": "true"} if htmx else {},
                       data={"version": record.version, "outcome_on": [str(on.day), str(on.month), str(on.year)],
                             **answers})


def test_the_inbox_lists_records_and_filters_by_search(signed_in, get_page):
    client = signed_in("feedback_officer")
    a = make_record(summary="The taxi was late")
    b = make_record(summary="Nobody rang back")
    page = get_page(client, "/staff/inbox")
    assert a.reference in page and b.reference in page
    page = get_page(client, "/staff/inbox?q=taxi")
    assert a.reference in page and b.reference not in page


def test_a_long_safeguarding_list_shows_the_oldest_ten_and_links_to_all(signed_in, get_page):
    urgent = [make_record(received_on=date(2026, 9, 1 + i), safeguarding_concern=True) for i in range(12)]
    client = signed_in("feedback_manager")
    html = get_page(client, "/staff/inbox")
    assert "These are the 10 oldest of 12" in html and 'href="/staff/inbox?safeguarding=1"' in html
    assert urgent[9].reference in html and urgent[10].reference not in html
    assert urgent[11].reference in get_page(client, "/staff/inbox?safeguarding=1")
    dashboard = get_page(client, "/staff/")
    assert "These are the 10 oldest of 12" in dashboard and urgent[11].reference not in dashboard


def test_an_htmx_filter_gets_only_the_results_and_the_response_varies(signed_in):
    client = signed_in("feedback_officer")
    make_record()
    response = client.get("/staff/inbox?q=summary", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="results"' in body
    assert "HX-Request" in response.headers["Vary"]
    # A history restore needs the whole page.
    full = client.get("/staff/inbox", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.get_data(as_text=True)


def test_bad_filter_values_are_ignored_not_errors(signed_in):
    client = signed_in("feedback_officer")
    response = client.get("/staff/inbox?team=abc&after=junk&sort=evil")
    assert response.status_code == 200
    assert "There is a problem" not in response.get_data(as_text=True)


@pytest.mark.parametrize("typed", ["01/11/2026", "1/11/2026", "2026-11-01", "1 November 2026", "1 Nov 2026"])
def test_the_inbox_reads_a_received_date_as_people_type_it(signed_in, typed):
    october = make_record(received_on=date(2026, 10, 31))
    november = make_record(received_on=date(2026, 11, 1))
    later = make_record(received_on=date(2026, 11, 2))
    client = signed_in("feedback_officer")
    page = client.get(f"/staff/inbox?from={quote(typed)}&to={quote(typed)}").get_data(as_text=True)
    assert "There is a problem" not in page
    assert november.reference in page
    assert october.reference not in page and later.reference not in page
    assert f'value="{typed}"' in page  # left in the box as typed


@pytest.mark.parametrize(("query", "errors"), [
    ("from=31/02/2026", ["The \u2018from\u2019 date must be a real date, like 1 November 2026 or 01/11/2026"]),
    ("from=1/11/2026&to=next+week",
     ["The \u2018to\u2019 date must be a real date, like 30 November 2026 or 30/11/2026"]),
    ("from=2/11/2026&to=1/11/2026", ["The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date"]),
])
def test_a_received_date_the_inbox_cannot_read_is_named_in_the_error_summary(signed_in, query, errors):
    client = signed_in("feedback_officer")
    response = client.get(f"/staff/inbox?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Inbox" in page
    assert [unescape(e) for e in error_summary(page)] == errors
    field = "to" if "\u2018to\u2019 date" in errors[0] else "from"
    assert f'id="{field}-error"' in page and 'govuk-input--error' in page
    fragment = client.get(f"/staff/inbox?{query}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert [unescape(e) for e in error_summary(fragment)] == errors
    assert 'id="filter-dates" hx-swap-oob="true"' in fragment and f'id="{field}-error"' in fragment


def test_logging_a_phone_call_opens_its_case_page(signed_in):
    client = signed_in("feedback_officer")
    response = client.post("/staff/log", data={
        "kind": "initial_contact", "channel": "phone", "received_on": ["25", "11", "2026"],
        "submitter_role": "foster_carer", "summary": "Rang about respite", "category": "query",
        "name": "Fran Carer", "phone": "07700 900555", "team_id": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rang about respite" in page and "Logged by staff: phone" in page


def test_logging_without_answers_shows_the_error_summary(signed_in):
    client = signed_in("feedback_officer")
    page = client.post("/staff/log", data={}).get_data(as_text=True)
    assert "There is a problem" in page
    assert "Select how it came to us" in page and "Enter what they told us" in page


def test_resolving_on_the_case_page_records_the_outcome(signed_in):
    client = signed_in("feedback_officer")
    record = make_record()
    response = record_outcome(client, record, outcome="resolved", resolution="Called them back.")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Resolved informally" in page or "Resolved on" in page
    db.session.refresh(record)
    assert (record.outcome, record.resolution) == ("resolved", "Called them back.")
    # Nothing is mailed from here: the panel leads to the letters page (issue 18).
    assert "Email what was done" not in page
    assert (f'href="/staff/cases/{record.reference}/letters/new?purpose=initial_contact_outcome" '
            'id="write-outcome">Write to the person about it</a>') in page
    letter = client.get(f"/staff/cases/{record.reference}/letters/new?purpose=initial_contact_outcome")
    assert "What we did: Called them back." in letter.get_data(as_text=True)


def test_a_second_editor_is_told_and_nothing_is_overwritten(signed_in, make_user):
    second = signed_in("feedback_officer")
    record = make_record()
    team = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    opened = record.version  # both open the page at this version; the first saves first
    decisions.classify(record, make_user("feedback_officer"), opened, category="concern", team_id=team.id,
                    theme_id=None)
    db.session.commit()
    response = second.post(f"/staff/cases/{record.reference}/classify",
                           data={"version": opened, "category": "query", "team_id": "", "theme_id": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Someone else changed this record" in body
    assert "<html" not in body
    db.session.refresh(record)
    assert (record.category, record.team_id) == ("concern", team.id)


def test_after_a_conflict_the_second_editor_sees_the_newer_version_and_what_they_entered(signed_in, make_user):
    # What they had chosen or typed was dropped: the panel showed only the other version.
    second = signed_in("feedback_officer")
    record = make_record(kind="compliment", outcome=None, publish_consent=True)
    opened = record.version
    decisions.clear_for_publication(record, make_user("feedback_officer"), opened,
                                 anonymised_text="A foster carer thanked the team.")
    db.session.commit()
    for headers in ({"HX-Request": "true"}, {}):
        response = second.post(f"/staff/cases/{record.reference}/publication", headers=headers,
                               data={"version": opened, "anonymised_text": "Thank you,\nsaid a carer."})
        assert response.status_code == 409
        body = response.get_data(as_text=True)
        assert ("<html" in body) is not bool(headers)
        assert "Someone else changed this record" in body
        assert re.search(r'<textarea[^>]*name="anonymised_text"[^>]*>\s*A foster carer thanked the team.</textarea>',
                         body)
        assert "Your change, not saved" in body and "Thank you,\nsaid a carer." in body
    db.session.refresh(record)
    assert record.anonymised_text == "A foster carer thanked the team."


def test_a_conflicting_choice_is_shown_in_words(signed_in, make_user):
    second = signed_in("feedback_officer")
    record = make_record()
    send = db.session.scalars(select(Team).where(Team.name == "SEND Team")).one()
    opened = record.version
    decisions.classify(record, make_user("feedback_officer"), opened, category="concern", team_id=None, theme_id=None)
    db.session.commit()
    body = second.post(f"/staff/cases/{record.reference}/classify", headers={"HX-Request": "true"},
                       data={"version": opened, "category": "query", "team_id": send.id, "theme_id": ""}
                       ).get_data(as_text=True)
    answers = re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>', body, re.S)
    assert [(q.strip(), a.strip()) for q, a in answers] == [("Category", "Question"), ("Team", "SEND Team")]
    assert '<option value="concern" selected>' in body


def test_an_htmx_note_swaps_the_notes_panel_and_the_timeline(signed_in):
    client = signed_in("feedback_officer")
    record = make_record()
    response = client.post(f"/staff/cases/{record.reference}/notes", data={"note": "Left a voicemail."},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="notes"' in body and 'hx-swap-oob="true"' in body and "Left a voicemail." in body


def test_thirty_initial_contacts_are_assigned_in_one_action_without_javascript(signed_in, make_user, get_page):
    """Issue 20: no assign form on every row; the ticked rows are assigned together."""
    client = signed_in("feedback_manager")
    records = [make_record() for _ in range(30)]
    io = make_user("investigating_officer", name="Ines Investigator")
    inbox = get_page(client, "/staff/inbox?kind=initial_contact")
    assert "assign?from=inbox" not in inbox and inbox.count('name="selected"') == 30
    assert re.search(rf'<option value="{io.id}">Ines Investigator</option>', inbox)
    response = client.post("/staff/inbox/assign", data={
        "selected": [f"{r.id}:{r.version}" for r in records], "assignee": io.id, "back": "kind=initial_contact"})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/inbox?kind=initial_contact"
    for record in records:
        db.session.refresh(record)
        assert record.assigned_to_id == io.id
    page = get_page(client, "/staff/inbox?kind=initial_contact")
    # The message says to whom, as the case's timeline does.
    assert "30 records assigned to Ines Investigator: " in page


def test_a_bulk_action_refused_as_a_whole_shows_the_list_with_what_was_ticked(signed_in, get_page):
    client = signed_in("feedback_manager")
    record = make_record()
    response = client.post("/staff/inbox/close", data={
        "selected": f"{record.id}:{record.version}", "close_as": "resolved", "resolution": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert error_summary(page) == ["Enter what was done to resolve them"]
    assert f'value="{record.id}:{record.version}" id="tick-{record.reference}" checked' in page
    response = client.post("/staff/inbox/assign", data={"assignee": ""})
    assert response.status_code == 422
    assert error_summary(response.get_data(as_text=True)) == ["Select who to assign them to"]


def test_each_record_refused_in_a_bulk_action_is_reported(signed_in, get_page):
    client = signed_in("feedback_officer")
    contact, complaint = make_record(), factories.complaint()
    response = client.post("/staff/inbox/close", data={
        "selected": [f"{contact.id}:{contact.version}", f"{complaint.id}:{complaint.version}"],
        "close_as": "withdrawn", "resolution": "They rang to say it was sorted"}, follow_redirects=True)
    page = unescape(response.get_data(as_text=True))
    assert f"1 record closed: {contact.reference}" in page
    assert f"{complaint.reference} was not closed: Only an initial contact can be given this outcome" in page
    db.session.refresh(contact)
    assert contact.outcome == "withdrawn"


def test_an_investigating_officer_cannot_open_a_case_not_assigned_to_them(signed_in, get_page):
    client = signed_in("investigating_officer")
    record = make_record()
    assert client.get(f"/staff/cases/{record.reference}").status_code == 404
    assert record.reference not in get_page(client, "/staff/inbox")
    record.assigned_to_id = client.user.id
    db.session.commit()
    assert client.get(f"/staff/cases/{record.reference}").status_code == 200


def test_only_a_feedback_manager_records_the_safeguarding_follow_up(signed_in, get_page):
    officer = signed_in("feedback_officer")
    record = make_record()
    response = officer.post(f"/staff/cases/{record.reference}/safeguarding/flag",
                            data={"reason": "The child said they were hit."})
    assert response.status_code == 302
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "safeguarding_alert")).one()
    assert officer.post(f"/staff/cases/{record.reference}/safeguarding/action",
                        data={"safeguarding_action": "x"}).status_code == 403
    manager = signed_in("feedback_manager")
    inbox = get_page(manager, "/staff/inbox")
    assert re.search(r"Safeguarding</strong>", inbox)
    response = manager.post(f"/staff/cases/{record.reference}/safeguarding/action",
                            data={"safeguarding_action": "Duty social worker visited the same day."})
    assert response.status_code == 302
    db.session.refresh(record)
    assert record.safeguarding_actioned_at is not None


def test_only_a_feedback_manager_is_offered_the_safeguarding_follow_up(signed_in):
    # The permission table says who follows a concern up (follow_up_safeguarding,
    # docs/permissions.md): the officer who flagged it sees that a manager must.
    record = make_record(safeguarding_concern=True)
    officer_page = signed_in("feedback_officer").get(f"/staff/cases/{record.reference}").get_data(as_text=True)
    assert "A manager must record what was done." in officer_page
    assert "Record what was done" not in officer_page
    manager_page = signed_in("feedback_manager").get(f"/staff/cases/{record.reference}").get_data(as_text=True)
    assert "Record what was done" in manager_page


def test_a_persons_page_lists_their_cases_and_merges_another_record(signed_in, get_page):
    client = signed_in("feedback_officer")
    a = make_record(person=Person(name="Sam Smith", email="sam@example.org"))
    b = make_record(person=Person(name="Sam Smith", phone="07700900001", phone_key="07700900001"))
    page = get_page(client, f"/staff/people/{a.person_id}")
    assert a.reference in page and f"Person {b.person_id}" in page
    response = client.post(f"/staff/people/{a.person_id}", data={"other": b.person_id})
    assert response.status_code == 302
    page = get_page(client, f"/staff/people/{a.person_id}")
    assert b.reference in page


def test_the_dashboard_shows_counts_safeguarding_and_my_items(signed_in, get_page):
    client = signed_in("feedback_officer")
    mine = make_record(assigned_to_id=client.user.id, status="open")
    urgent = make_record(safeguarding_concern=True)
    page = get_page(client, "/staff/")
    assert "Safeguarding concerns waiting for a manager" in page and urgent.reference in page
    assert re.search(r"New items</dt>\s*<dd[^>]*><a [^>]*>1<", page)
    assert mine.reference in page.split('id="my-items"')[1]


def test_a_report_viewer_sees_no_case_counts(signed_in, get_page):
    client = signed_in("report_viewer")
    make_record()
    page = get_page(client, "/staff/")
    assert "New items" not in page


def test_not_set_and_nobody_choices_send_an_empty_value_the_form_accepts(signed_in, get_page):
    """Found in a browser: "Not set" was sent as "None" and refused as an invalid choice."""
    client = signed_in("feedback_manager")
    page = get_page(client, "/staff/log")
    assert '<option value="">Not set</option>' in page or '<option value="" selected>Not set</option>' in page
    record = make_record()
    case_page = get_page(client, f"/staff/cases/{record.reference}")
    assert 'value="None"' not in case_page


def test_progressing_with_htmx_loads_the_whole_case_page(signed_in):
    client = signed_in("feedback_officer")
    record = make_record()
    response = record_outcome(client, record, htmx=True, outcome="progressed", procedure="statutory")
    assert response.headers["HX-Redirect"] == f"/staff/cases/{record.reference}"
    assert "Complaint stages" in client.get(response.headers["HX-Redirect"]).get_data(as_text=True)


def test_progressing_without_javascript_says_so_and_goes_to_the_stages(signed_in):
    # It said only "Outcome recorded" and went to #outcome, a panel the page no longer has.
    client = signed_in("feedback_officer")
    record = make_record()
    response = record_outcome(client, record, outcome="progressed", procedure="statutory")
    assert response.headers["Location"] == f"/staff/cases/{record.reference}#procedure"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Progressed to Stage 1. The Stage 1 clock has started." in page and 'id="procedure"' in page
    assert "Outcome recorded" not in page


def test_a_flashed_message_shows_as_words_not_markup(signed_in):
    # It showed "<p class='govuk-notification-banner__heading'>CF-... logged</p>" as text.
    client = signed_in("feedback_officer")
    record = make_record()
    response = client.post(f"/staff/cases/{record.reference}/notes", data={"note": "Rang <them> back."},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert '<p class="govuk-notification-banner__heading">Note added</p>' in page
    assert "&lt;p" not in page and "Rang &lt;them&gt; back." in page


def test_the_case_page_has_each_id_once_and_the_outcome_error_leads_to_its_radios(signed_in):
    # The first outcome radio had id "outcome", the panel's own: the error summary's
    # "Select an outcome" led to the panel's edge, not to the question.
    client = signed_in("feedback_officer")
    record = make_record()
    page = client.post(f"/staff/cases/{record.reference}/outcome", data={"version": record.version}).get_data(
        as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    assert 'href="#outcome-choice"' in page and 'id="outcome-choice"' in page and 'id="outcome"' in page


def test_a_change_saved_with_htmx_gives_every_other_panel_the_new_version(signed_in, make_user):
    # Only the saved panel was swapped: the outcome form kept the old version, so the
    # same person's next change on the page was refused as "Someone else changed this record".
    client = signed_in("feedback_officer")
    record = make_record()
    opened = record.version
    response = client.post(f"/staff/cases/{record.reference}/classify",
                           data={"version": opened, "category": "concern", "team_id": "", "theme_id": ""},
                           headers={"HX-Request": "true"})
    db.session.refresh(record)
    assert response.status_code == 200 and record.version > opened
    assert (f'<input type="hidden" name="version" value="{record.version}" '
            'hx-swap-oob="outerHTML:main form input[name=version]">') in response.get_data(as_text=True)
    response = record_outcome(client, record, htmx=True, outcome="resolved", resolution="Called them back.")
    assert response.status_code == 200
    # After a conflict the other panels still show the older record: they keep their version.
    decisions.classify(record, make_user("feedback_officer"), record.version, category="query", team_id=None,
                    theme_id=None)
    db.session.commit()
    response = client.post(f"/staff/cases/{record.reference}/classify",
                           data={"version": opened, "category": "issue", "team_id": "", "theme_id": ""},
                           headers={"HX-Request": "true"})
    assert response.status_code == 409 and "hx-swap-oob=\"outerHTML:main" not in response.get_data(as_text=True)


def test_a_search_with_hidden_characters_is_explained_never_a_500(signed_in):
    record = make_record(summary="The taxi was late")
    client = signed_in("feedback_officer")
    response = client.get("/staff/inbox?q=taxi%00late")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert error_summary(page) == ["Your search must not include hidden characters. Type it in again instead of pasting it"]
    assert 'id="q-error"' in page and record.reference in page  # the list, unsearched


def test_a_bulk_action_never_sends_the_browser_to_another_site(signed_in, make_user):
    """Issue 14, item 13: ``back=https://evil.example/`` redirected off the site. The bulk
    actions' ``back`` is only ever a query string on the inbox's own address."""
    client = signed_in("feedback_manager")
    io = make_user("investigating_officer")
    for back in ("https://evil.example/", "//evil.example/staff/inbox", "/\\evil.example", "javascript:alert(1)"):
        record = make_record()
        response = client.post("/staff/inbox/assign",
                               data={"selected": f"{record.id}:{record.version}", "assignee": io.id, "back": back})
        assert response.status_code == 303
        location = response.headers["Location"]
        assert location == "/staff/inbox" or location.startswith("/staff/inbox?"), back


def test_a_case_assigned_to_someone_not_yet_set_up_shows_them_as_its_assignee(signed_in, get_page):
    """Only staff who have set up their account are offered for new work; a case already
    assigned to someone who has not (the demo's officers, at first) said "Nobody" in the
    inbox and on the case page, and pressing Assign there would have taken it off them."""
    from portal.models import StaffUser

    client = signed_in("feedback_manager")
    waiting = StaffUser(email="new.officer@example.org", name="Nell Newcomer", role="feedback_officer", active=True)
    db.session.add(waiting)
    db.session.commit()
    record = make_record(assigned_to=waiting)
    other = make_record()

    inbox = get_page(client, "/staff/inbox")
    row = re.search(rf'id="row-{record.reference}".*?</tr>', inbox, re.S).group(0)
    assert "Nell Newcomer" in row
    other_row = re.search(rf'id="row-{other.reference}".*?</tr>', inbox, re.S).group(0)
    assert "Nell Newcomer" not in other_row
    offered = re.search(r'<select[^>]*id="assignee".*?</select>', inbox, re.S).group(0)
    assert f'<option value="{waiting.id}"' not in offered  # never offered for new work
    case = get_page(client, f"/staff/cases/{record.reference}")
    assert re.search(rf'<option selected value="{waiting.id}">Nell Newcomer</option>|'
                     rf'<option value="{waiting.id}" selected>Nell Newcomer</option>', case)

    assert record.assigned_to_id == waiting.id
