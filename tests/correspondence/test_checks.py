"""The check before sending (issue 18, 4)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import JargonTerm, Person
from portal.services.correspondence import letters, readability
from portal.services.common.dates import today
from portal.services.procedures import extensions
from tests import factories

SENT_ON = date(2034, 10, 18)  # the fixed test day: Stage 2 may be asked for by 15 November 2034 (20 WD)


def _filled(text: str) -> str:
    return text.replace("[Say who looked into your complaint, who they spoke to and what they read.]",
                        "Ann Smith looked into it. She read the file.") \
               .replace("[Explain what we found, and what we will do.]", "We are sorry.")


def test_a_stage_response_names_the_element_without_a_finding(complaint, officer):
    draft = letters.draft(complaint, "stage1_response", "email", "adult", officer, SENT_ON)
    check = letters.check(complaint, "stage1_response", _filled(draft.text), "email", "adult", SENT_ON)
    messages = [p.message for p in check.problems]
    assert "Element 2 (\u2018Transport was late\u2019) has no finding: record its outcome on the case page first" \
        in messages
    # the finding shows as missing in the letter too, and that is never overridable
    assert "[no value: element 2's finding]" in draft.text
    assert not check.overridable


def test_a_complete_stage_response_passes(complaint, officer):
    complaint.stages[0].elements[1].outcome = "upheld"
    draft = letters.draft(complaint, "stage1_response", "email", "adult", officer, SENT_ON)
    text = _filled(draft.text)
    assert "Please ask us by 15 November 2034" in text
    check = letters.check(complaint, "stage1_response", text, "email", "adult", SENT_ON)
    assert check.problems == []


def _young(text: str) -> str:
    return (text.replace("[Say who looked into it and who they talked to. Use short sentences.]",
                         "Ann looked into it. She talked to your social worker.")
            .replace("[Say what happened and what we will do now.]", "We are sorry."))


def test_a_young_persons_response_says_what_they_can_do_next_in_short_sentences(complaint, officer):
    """The young people's version names the next stage and the date to ask by (15 November
    2034: 20 WD after 18 October) in its own words, and passes the check."""
    complaint.stages[0].elements[1].outcome = "upheld"
    text = _young(letters.draft(complaint, "stage1_response", "email", "young", officer, SENT_ON).text)
    assert ("If you are not happy with our answer, you can ask for Stage 2 (independent investigation). This "
            "means someone else looks at your complaint again. Please tell us by 15 November 2034.") in text
    assert "After that date we can only consider" not in text  # the adults' words are not used
    assert letters.check(complaint, "stage1_response", text, "email", "young", SENT_ON).problems == []


def test_a_young_persons_last_response_gives_the_ombudsman(officer):
    """At the last stage (a corporate Stage 2) the young people's version points to the
    Ombudsman, with the details the check asks for."""
    record = factories.complaint(factories.stage(date(2034, 8, 1), date(2034, 8, 14), outcome="upheld"),
                                 factories.stage(date(2034, 9, 1)), procedure="corporate",
                                 person=Person(name="Riley", email="riley@example.org"))
    record.stages[1].elements[0].outcome = "upheld"
    text = _young(letters.draft(record, "stage2_response", "email", "young", officer, SENT_ON).text)
    assert ("you can ask the Local Government and Social Care Ombudsman to look at it. The Ombudsman is free and "
            "does not take sides. Contact them at www.lgo.org.uk or 0300 061 0614.") in text
    assert "[no value" not in text
    assert letters.check(record, "stage2_response", text, "email", "young", SENT_ON).problems == []


def test_placeholders_block_and_the_next_stage_is_a_required_part(complaint, officer):
    complaint.stages[0].elements[1].outcome = "upheld"
    text = letters.draft(complaint, "stage1_response", "letter", "adult", officer, SENT_ON).text
    check = letters.check(complaint, "stage1_response", text, "letter", "adult", SENT_ON)
    assert [p.overridable for p in check.problems] == [False]
    assert check.problems[0].message.startswith("Replace each part in square brackets")
    without_next_step = _filled(text).replace("15 November 2034", "soon")
    check = letters.check(complaint, "stage1_response", without_next_step, "letter", "adult", SENT_ON)
    assert [(p.message, p.overridable) for p in check.problems] == [
        ("The response must say they can ask for Stage 2 (independent investigation) by 15 November 2034", True)]
    assert check.overridable


def test_an_extension_needs_its_reason_and_new_date(complaint, officer):
    text = letters.draft(complaint, "extension", "email", "adult", officer, SENT_ON).text
    check = letters.check(complaint, "extension", text, "email", "adult", SENT_ON)
    assert "Record the extension on the case first: its reason and the new date" in [p.message for p in check.problems]
    stage = complaint.stages[0]
    stage.extended_to, stage.extension_reason = date(2034, 11, 1), "We are waiting for a report"
    text = letters.draft(complaint, "extension", "email", "adult", officer, SENT_ON).text
    assert letters.check(complaint, "extension", text, "email", "adult", SENT_ON).problems == []
    check = letters.check(complaint, "extension", text.replace("1 November 2034", "later"), "email", "adult", SENT_ON)
    assert [p.message for p in check.problems] == ["The letter must give the new date, 1 November 2034"]


def test_a_corporate_extension_under_the_code_gives_the_ombudsman_and_sending_it_tells_the_complainant(officer):
    """DOMAIN.md, "Timescales change on a date": under the Complaint Handling Code (a
    corporate stage started from 1 April 2026) an extension is told "with the reason and
    the Ombudsman's details". Stage 1 registered Monday 2 October 2034 and acknowledged
    on Tuesday 3 October, extended to the most the Code allows, 20 WD from the
    acknowledgement: Tuesday 31 October 2034."""
    record = factories.complaint(factories.stage(date(2034, 10, 2), acknowledged_on=date(2034, 10, 3)),
                                 procedure="corporate", person=Person(name="Sam Taylor", email="sam@example.org"))
    stage = record.stages[0]
    extensions.extend_stage(stage, date(2034, 10, 31), "The school has not sent its records", officer, today=SENT_ON)
    text = letters.draft(record, "extension", "email", "adult", officer, SENT_ON).text
    assert "Why we need more time: The school has not sent its records" in text
    assert "We will now send you our response by 31 October 2034." in text
    assert ("you can contact the Local Government and Social Care Ombudsman. The Ombudsman is free and "
            "independent: www.lgo.org.uk or 0300 061 0614.") in text
    assert letters.check(record, "extension", text, "email", "adult", SENT_ON).problems == []
    young = letters.draft(record, "extension", "email", "young", officer, SENT_ON).text
    assert "www.lgo.org.uk or 0300 061 0614" in young
    without = "\n".join(line for line in text.splitlines() if "Ombudsman" not in line)
    check = letters.check(record, "extension", without, "email", "adult", SENT_ON)
    assert [(p.message, p.overridable) for p in check.problems] == [
        ("Under the Complaint Handling Code the letter must give the Ombudsman's details "
         "(www.lgo.org.uk or 0300 061 0614)", True)]

    letter = letters.send(record, purpose="extension", channel="email", audience="adult", template_version=0,
                          subject="We need more time", text=text, actor=officer, today=SENT_ON,
                          version=record.version)
    db.session.commit()
    told = stage.extensions[0]
    assert (told.told_by, told.told_on, told.outbox_message) == ("email", SENT_ON, letter.outbox_message)
    assert letter.outbox_message.to_address == "sam@example.org"


HARD = ("Notwithstanding the aforementioned considerations, the departmental investigation concluded that "
        "the communication deficiencies experienced constituted a substantive organisational failure. "
        "We are sorry. "
        "Consequently, comprehensive remedial arrangements incorporating supervisory oversight mechanisms "
        "will be implemented imminently. Thank you.")


def test_a_letter_to_a_13_year_old_above_the_target_is_flagged_with_its_longest_sentences(complaint):
    complaint.submitter_age = 13
    check = letters.check(complaint, "initial_contact_outcome", HARD, "letter", "adult", SENT_ON)
    assert (check.young_person, check.target) == (True, 10)
    assert check.too_hard and check.reading_age > 10
    assert check.longest[:2] == [
        "Notwithstanding the aforementioned considerations, the departmental investigation concluded that the "
        "communication deficiencies experienced constituted a substantive organisational failure.",
        "Consequently, comprehensive remedial arrangements incorporating supervisory oversight mechanisms will "
        "be implemented imminently."]
    assert not check.blocked  # readability warns


def test_plain_words_for_an_adult_are_not_flagged(complaint):
    check = letters.check(complaint, "initial_contact_outcome", "We are sorry. We will call you back on Monday.",
                          "letter", "adult", SENT_ON)
    assert (check.target, check.too_hard, check.longest) == (14, False, [])


def test_jargon_is_found_with_plainer_words_and_the_list_is_editable(app):
    # the list as the migration first fills it (the tests' tables start empty)
    db.session.add_all([JargonTerm(term="CIN", plainer="a child in need"),
                        JargonTerm(term="EHCP", plainer="an Education, Health and Care Plan (for special needs)")])
    db.session.commit()
    found = readability.jargon_in("Your son has a CIN plan and an EHCP. Cinema is fine.")
    assert [(j.term, j.plainer.split(" (")[0]) for j in found] == [
        ("CIN", "a child in need"), ("EHCP", "an Education, Health and Care Plan")]
    assert readability.jargon_in("He is a child in need (CIN).") == []


@pytest.mark.parametrize(("fields", "young"), [
    ({"submitter_age": 13}, True), ({"submitter_age": 18}, False), ({"young_persons_form": True}, True),
    ({"submitter_role": "child_or_young_person"}, True), ({}, False)])
def test_who_is_a_young_person(complaint, fields, young):
    for key, value in fields.items():
        setattr(complaint, key, value)
    assert readability.is_young_person(complaint) is young
