"""The letters pages (issue 18): write, check, preview, send on a case; templates and the
jargon list for feedback managers; letters to post as one PDF."""

from __future__ import annotations

import re

from portal.extensions import db
from portal.models import Element, Letter, LetterTemplate, Person
from tests import factories
from tests.pages import checked_page
from tests.staff.conftest import error_summary


def _complaint():
    record = factories.complaint(person=Person(name="Sam Taylor", email="sam@example.org"))
    record.stages[0].elements[0].outcome = "not_upheld"
    db.session.commit()
    return record


def _form(page_html: str) -> dict:
    """The write form's fields as the page holds them."""
    fields = dict(re.findall(r'<input[^>]*name="(version|template_version|checked)"[^>]*value="([^"]*)"', page_html))
    fields["subject"] = re.search(r'name="subject"[^>]*value="([^"]*)"', page_html).group(1)
    text = re.search(r'<textarea[^>]*name="text"[^>]*>(.*?)</textarea>', page_html, re.S).group(1)
    import html
    fields["text"] = html.unescape(text).lstrip("\n")
    fields["subject"] = html.unescape(fields["subject"])
    return fields


def test_write_check_and_send_a_stage_1_response_by_post(signed_in, get_page):
    client = signed_in("feedback_officer")
    record = _complaint()
    url = f"/staff/cases/{record.reference}/letters/new"
    page = get_page(client, url, purpose="stage1_response", channel="letter")
    fields = _form(page)
    assert fields["template_version"] == "0" and "[Explain what we found" in fields["text"]
    base = {"purpose": "stage1_response", "channel": "letter", "audience": "adult", **fields}

    # checked with its placeholders: refused, named in the error summary, no send button
    response = client.post(url, data={**base, "action": "check"})
    page = checked_page(response)
    assert any("Replace each part in square brackets" in e for e in error_summary(page))
    assert 'value="send"' not in page

    # sending text that was never checked is refused
    written = fields["text"].replace("[Say who looked into your complaint, who they spoke to and what they read.]",
                                     "Ann Smith looked into it.").replace(
        "[Explain what we found, and what we will do.]", "We found the calls were returned.")
    response = client.post(url, data={**base, "text": written, "action": "send"})
    assert "Check and preview the letter before you send it" in response.get_data(as_text=True)

    response = client.post(url, data={**base, "text": written, "action": "check"})
    page = checked_page(response)
    assert error_summary(page) == [] and 'id="check-passed"' in page
    checked = _form(page)["checked"]
    pdf = client.post(url, data={**base, "text": written, "action": "pdf"})
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF")
    response = client.post(url, data={**base, "text": written, "checked": checked, "action": "send"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#letters")
    letter = db.session.query(Letter).one()
    assert (letter.purpose, letter.template_version, letter.to_address) == ("stage1_response", 1, None)
    case_page = get_page(client, f"/staff/cases/{record.reference}")
    assert f"/staff/letters/{letter.id}/letter.pdf" in case_page
    view = get_page(client, f"/staff/letters/{letter.id}")
    assert "We found the calls were returned." in view
    assert client.get(f"/staff/letters/{letter.id}/letter.pdf").data.startswith(b"%PDF")
    assert client.get(f"/staff/letters/{letter.id}/letter.docx").data.startswith(b"PK")
    to_post = get_page(client, "/staff/letters/to-post")
    assert letter.subject in to_post
    batch = client.get("/staff/letters/to-post.pdf")
    assert batch.data.startswith(b"%PDF")


def test_a_manager_edits_a_template_and_a_bad_one_is_refused_with_its_line(signed_in, get_page):
    client = signed_in("feedback_manager")
    url = "/staff/letters/templates/acknowledgement/email/adult"
    get_page(client, "/staff/letters/templates")
    get_page(client, url)
    response = client.post(url, data={"subject": "Thanks", "body": "Dear {{ person.name }}\n{{ person.age }}"})
    page = checked_page(response)
    assert error_summary(page) == ["Line 2: {{ person.age }} is not a merge field: the list is in the guide"]
    assert "{{ person.age }}" in page  # what was typed is kept
    response = client.post(url, data={"subject": "Thanks - {{ case.reference }}", "body": "Dear {{ person.name }}"})
    assert response.status_code == 302
    assert [t.version for t in db.session.query(LetterTemplate).order_by(LetterTemplate.version)] == [1, 2]


def test_an_officer_may_not_edit_templates(signed_in):
    client = signed_in("feedback_officer")
    assert client.get("/staff/letters/templates").status_code == 403


def test_the_jargon_list_is_edited_by_a_manager(signed_in, get_page):
    client = signed_in("feedback_manager")
    response = client.post("/staff/letters/jargon", data={"term": "CIN", "plainer": "a child in need"})
    assert response.status_code == 302
    page = get_page(client, "/staff/letters/jargon")
    assert "a child in need" in page
    response = client.post("/staff/letters/jargon", data={"term": "cin", "plainer": "again"})
    assert error_summary(checked_page(response)) == ["\u2018cin\u2019 is already on the list"]
