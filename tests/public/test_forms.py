"""Sending each public form, as a person would, through the web pages."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Draft, Feedback, OutboxMessage, Team
from tests.public.helpers import COMPLAINT, COMPLIMENT, CONCERN, YOUNG, reference_in, send
from tests.staff.conftest import error_summary


def only_record() -> Feedback:
    records = db.session.scalars(select(Feedback)).all()
    assert len(records) == 1
    return records[0]


def test_start_page_says_what_you_can_tell_us_and_where_to_get_help_now(client, get_page):
    page = get_page(client, "/")
    assert "Pay a compliment" in page
    assert "Make a complaint" in page
    assert "call 999" in page and "0800 1111" in page
    assert "advocate" in page


@pytest.mark.parametrize("path", ["/", "/compliment", "/question-or-concern", "/complaint",
                                  "/young-people", "/young-people/tell-us", "/accessibility",
                                  "/privacy", "/contact"])
def test_every_public_page_shows_where_to_get_help_at_once(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "call 999" in page and "Childline" in page


def test_a_complaint_arrives_as_an_initial_contact_asking_for_a_formal_complaint(client):
    page = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    record = only_record()
    assert reference_in(page) == record.reference
    assert "Your complaint has been sent" in page
    assert record.kind == "initial_contact"
    assert record.formal_complaint_requested is True
    assert record.channel == "web"
    assert record.on_behalf_of_child is True
    assert record.on_behalf_of_name == "Sam Example"
    assert record.person.email == "alex@example.org"
    assert record.team is None  # "I'm not sure"


def test_a_question_is_an_initial_contact_in_the_query_category(client):
    page = send(client, "concern", CONCERN).get_data(as_text=True)
    record = only_record()
    assert "Your question has been sent" in page
    assert (record.kind, record.category, record.formal_complaint_requested) == ("initial_contact", "query", False)


def test_a_compliment_can_be_anonymous_and_names_its_team(client):
    team = db.session.scalars(select(Team).where(Team.name == "Fostering Team")).one()
    page = send(client, "compliment", {**COMPLIMENT, "team": str(team.id)}).get_data(as_text=True)
    record = only_record()
    assert "Your compliment has been sent" in page
    assert record.kind == "compliment"
    assert record.person is None
    assert record.team == team
    assert record.publish_consent is True
    assert record.named_staff == ["Jo in the fostering team"]


def test_the_young_persons_form_makes_the_same_records_and_asks_for_an_advocate(client):
    send(client, "young", YOUNG)
    record = only_record()
    assert record.young_persons_form is True
    assert record.kind == "initial_contact" and record.formal_complaint_requested is True
    assert record.submitter_role == "child_or_young_person"
    assert record.submitter_age == 14
    assert record.advocate_requested is True
    assert record.person.phone == "07700 900123"
    assert record.person.phone_key == "07700900123"


def test_check_your_answers_shows_the_answers_and_a_way_to_change_each(client, get_page):
    client.post("/complaint", data=COMPLAINT)
    page = get_page(client, "/complaint/check")
    assert "Check your answers before sending" in page
    assert "Nobody has told us who our son" in page
    assert 'href="/complaint#summary"' in page
    # The form comes back filled in from the draft kept on the server.
    form = get_page(client, "/complaint")
    assert "Since September" in form


def test_sending_twice_makes_one_record(client):
    send(client, "complaint", COMPLAINT)
    again = client.post("/complaint/check", data={})
    assert again.status_code == 302 and again.headers["Location"].endswith("/sent")
    assert db.session.query(Feedback).count() == 1


def test_empty_form_gets_error_summary_and_nothing_is_stored(client):
    response = client.post("/complaint", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Make a complaint" in page
    assert "There is a problem" in page
    for message in ["Select who you are", "Enter what your complaint is about",
                    "Select yes if a child is at risk of harm right now", "Enter your full name",
                    "Select how we should contact you"]:
        assert message in page
    assert 'href="#summary"' in page
    assert db.session.query(Feedback).count() == 0


def test_each_way_of_contact_chosen_needs_its_detail(client):
    answers = {**COMPLAINT, "contact_methods": ["email", "text", "post"], "email": "", "phone": "", "address": ""}
    page = client.post("/complaint", data=answers).get_data(as_text=True)
    assert "Enter your email address" in page
    assert "Enter your phone number" in page
    assert "Enter your postal address" in page


def test_a_bad_email_address_is_explained_and_the_other_answers_are_kept(client):
    page = client.post("/complaint", data={**COMPLAINT, "email": "alex@"}).get_data(as_text=True)
    assert "Enter your email address in the correct format, like name@example.com" in page
    assert "Nobody has told us who our son" in page


def test_someone_writing_for_a_child_is_asked_whether_they_agree(client):
    page = client.post("/complaint", data={**COMPLAINT, "about_consent": ""}).get_data(as_text=True)
    assert "Select whether they know you are contacting us and agree" in page


def test_script_tags_are_shown_as_text_never_run(client, get_page):
    hostile = {**COMPLAINT, "summary": "<script>alert('x')</script> please help"}
    client.post("/complaint", data=hostile)
    page = get_page(client, "/complaint/check")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_hidden_control_characters_are_refused_on_their_field(client):
    response = client.post("/complaint", data={**COMPLAINT, "summary": "line one\x00\x07\r\nline two"})
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True)) == [
        "Your complaint must not include hidden characters. Type it in again instead of pasting it"]
    assert db.session.query(Feedback).count() == 0


def test_tabs_and_new_lines_are_kept(client):
    send(client, "complaint", {**COMPLAINT, "summary": "line one\tand\r\nline two"})
    assert only_record().summary == "line one\tand\nline two"


def test_a_file_sent_in_a_text_field_is_refused_on_its_field_never_a_500(client):
    data = {**COMPLAINT, "summary": (io.BytesIO(b"%PDF-1.4 not words"), "complaint.pdf")}
    response = client.post("/complaint", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    assert error_summary(response.get_data(as_text=True)) == ["Your complaint must be typed in, not sent as a file"]
    assert db.session.query(Feedback).count() == 0


def test_a_json_body_is_not_taken_as_answers(client):
    response = client.post("/complaint", json={**COMPLAINT, "summary": ["a", {"b": 1}]})
    assert response.status_code == 200
    assert "Enter what your complaint is about" in response.get_data(as_text=True)
    assert db.session.query(Feedback).count() == 0


def test_an_unknown_team_is_refused_with_a_message(client):
    page = client.post("/complaint", data={**COMPLAINT, "team": "99999"}).get_data(as_text=True)
    assert "There is a problem" in page
    assert db.session.query(Feedback).count() == 0


def test_a_filled_in_honeypot_stores_nothing(client):
    response = send_honeypot = client.post("/complaint", data={**COMPLAINT, "website": "http://spam.example"})
    assert send_honeypot.status_code == 302
    assert response.headers["Location"].endswith("/sent")
    assert db.session.query(Feedback).count() == 0


def test_oversized_posts_get_the_too_large_page(client):
    response = client.post("/complaint", data={**COMPLAINT, "summary": "x" * 200_000})
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_overlong_answers_are_refused_with_a_message(client):
    page = client.post("/complaint", data={**COMPLAINT, "summary": "x" * 5001}).get_data(as_text=True)
    assert error_summary(page) == ["Your complaint must be 5,000 characters or fewer"]


def test_a_child_at_risk_is_flagged_and_the_duty_team_alerted_in_the_same_transaction(client):
    page = send(client, "complaint", {**COMPLAINT, "at_risk": "yes"}).get_data(as_text=True)
    record = only_record()
    assert record.safeguarding_concern is True
    assert "We have passed this to our duty team straight away" in page
    alerts = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "safeguarding_alert")).all()
    assert [a.to_address for a in alerts] == ["duty@example.org"]
    assert record.reference in alerts[0].subject


def test_references_are_readable_and_unique(client):
    send(client, "compliment", COMPLIMENT)
    send(client, "compliment", COMPLIMENT)
    refs = sorted(db.session.scalars(select(Feedback.reference)))
    assert len(set(refs)) == 2
    assert all(r.startswith("CF-20") and len(r) == len("CF-2026-00001") for r in refs)


def test_unknown_pages_get_a_helpful_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_wrong_method_gets_a_405_page(client):
    response = client.delete("/complaint")
    assert response.status_code == 405
    assert "Sorry, that did not work" in response.get_data(as_text=True)


def test_check_your_answers_shows_each_line_of_a_long_answer_on_its_own_line(client, get_page):
    client.post("/complaint", data={**COMPLAINT, "summary": "First line.\r\nSecond <b>line</b>."})
    page = get_page(client, "/complaint/check")
    assert "First line.<br>Second &lt;b&gt;line&lt;/b&gt;." in page
    assert "&lt;br&gt;" not in page


@pytest.mark.parametrize("form, answers", [("young", YOUNG), ("complaint", COMPLAINT), ("concern", CONCERN)])
def test_a_child_at_risk_gets_its_own_next_steps_never_the_informal_ones(client, form, answers):
    page = send(client, form, {**answers, "at_risk": "yes"}).get_data(as_text=True)
    assert "What happens now" in page
    assert "We have passed this to our duty team straight away" in page
    assert "call 999" in page and "Childline free on 0800 1111" in page
    assert "they will contact you by the next working day" in page
    assert "informally" not in page and "formal complaint" not in page


def test_a_child_at_risk_who_gave_no_way_to_contact_them_is_told_so(client):
    answers = {**YOUNG, "what": "compliment", "at_risk": "yes", "name": "", "contact_methods": [], "phone": ""}
    page = send(client, "young", answers).get_data(as_text=True)
    assert "You did not give us a way to contact you, so we cannot get back to you" in page
    assert "next working day" not in page


def test_without_a_risk_the_next_steps_are_as_before(client):
    page = send(client, "young", {**YOUNG, "what": "concern"}).get_data(as_text=True)
    assert "What happens now" not in page
    assert "We will try to sort this out with you informally" in page


def test_every_page_a_young_person_reaches_has_the_exit_button_and_adults_pages_do_not(client, get_page):
    exit_button = 'class="govuk-exit-this-page'
    assert exit_button in get_page(client, "/young-people")
    assert exit_button in get_page(client, "/young-people/tell-us")
    client.post("/young-people/tell-us", data=YOUNG)
    assert exit_button in get_page(client, "/young-people/tell-us/check")
    sent = client.post("/young-people/tell-us/check", data={}, follow_redirects=True).get_data(as_text=True)
    assert exit_button in sent and 'href="/leave"' in sent
    young_status = re.search(r'href="(/your-feedback/[^"]+)"', sent).group(1)
    assert exit_button in get_page(client, young_status)

    adult = send(client, "complaint", COMPLAINT).get_data(as_text=True)
    assert exit_button not in adult
    adult_status = re.search(r'href="(/your-feedback/[^"]+)"', adult).group(1)
    assert exit_button not in get_page(client, adult_status)


def test_leaving_forgets_the_answers_so_back_shows_an_empty_form(client, app, get_page):
    client.post("/young-people/tell-us", data={**YOUNG, "summary": "Something only I should see"})
    assert "Something only I should see" in get_page(client, "/young-people/tell-us")
    response = client.get("/leave")
    assert response.status_code == 303 and response.headers["Location"] == app.config["EXIT_PAGE_URL"]
    back = client.get("/young-people/tell-us")
    assert "Something only I should see" not in back.get_data(as_text=True)
    assert back.headers["Cache-Control"] == "no-store"
    assert db.session.query(Draft).count() == 0
    assert client.get("/young-people/tell-us/check").headers["Location"].endswith("/young-people/tell-us")


def test_leaving_after_sending_forgets_the_sent_page(client, get_page):
    send(client, "young", YOUNG)
    client.get("/leave")
    assert "Your complaint has been sent" not in get_page(client, "/sent")


def test_right_to_left_overrides_and_other_bidi_controls_are_never_stored(client):
    """Issue 14, item 17: a right-to-left override typed into a form was stored and
    shown to staff, reversing the text that followed it."""
    answers = {**COMPLAINT, "name": "Alex \u202eelpmaxE", "summary": "Read \u2066this\u2069 \u200fplease.",
               "about_name": "Sam\u061c Example"}
    page = send(client, "complaint", answers).get_data(as_text=True)
    assert "\u202e" not in page
    record = only_record()
    assert record.person.name == "Alex elpmaxE"
    assert record.summary == "Read this please."
    assert record.on_behalf_of_name == "Sam Example"
