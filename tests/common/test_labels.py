"""The vocabularies (services.common.labels): each stored code with its words once, the
choices forms offer from them, and the everyday codes pages show through ``label``."""

from __future__ import annotations

import pytest

from portal.services.common.labels import (
    EVERYDAY,
    ActionSource,
    ActionStatus,
    Channel,
    Compliance,
    InitialContactOutcome,
    OmbudsmanDecision,
    PaymentKind,
    Procedure,
    RestrictionCode,
    StaffRole,
    SubmitterRole,
    TimelineKind,
    label,
)


def test_a_member_is_the_code_the_database_stores():
    assert PaymentKind.FINANCIAL_REMEDY == "financial_remedy"
    assert f"{ActionSource.STAGE_2}" == "2"
    assert str(StaffRole.TEAM_MANAGER) == "team_manager"
    assert Procedure("corporate") is Procedure.CORPORATE


def test_a_stored_code_is_asked_about_as_a_plain_string():
    assert "done" in ActionStatus
    assert "finished" not in ActionStatus
    assert None not in ActionStatus
    assert ["done"] not in ActionStatus  # a form can send a list; it is never a code
    assert "ombudsman" in ActionSource and "4" not in ActionSource


def test_the_codes_stay_those_of_interchange_format_and_domain():
    assert SubmitterRole.codes() == (
        "child_or_young_person", "care_leaver", "parent_or_carer", "other_family", "foster_carer",
        "special_guardian", "professional", "staff", "advocate_or_representative", "other")
    assert Channel.codes() == ("web", "email", "phone", "letter", "in_person", "other")
    # Not in the interchange format (the timeline is not exported): the case file's and
    # the letters' events joined these (issues 17 and 18), then email in's (issue 19), then
    # the Ombudsman's part (for the Ombudsman bundle's index).
    assert TimelineKind.codes() == ("received", "note", "status_change", "assignment", "email_sent",
                                    "information_added", "document_added", "document_removed",
                                    "letter_sent", "email_received", "ombudsman")


def test_a_form_offers_every_code_or_those_named_in_the_order_named():
    assert ActionStatus.choices() == [("open", "Open"), ("in_progress", "In progress"), ("done", "Done")]
    assert InitialContactOutcome.choices("withdrawn", "resolved") == [
        ("withdrawn", "Withdrawn"), ("resolved", "Resolved informally")]
    assert all(type(code) is str for code, _ in PaymentKind.choices())


def test_a_choice_may_be_worded_as_an_answer_while_pages_use_the_shorter_words():
    assert PaymentKind.FINANCIAL_REMEDY.words == "Financial remedy"
    assert PaymentKind.FINANCIAL_REMEDY.choice == "Financial remedy (compensation)"
    assert Procedure.STATUTORY.words == "Statutory children's social care procedure"
    assert dict(Procedure.choices()) == {"statutory": "Statutory (children's social care)",
                                         "corporate": "Corporate"}


def test_words_of_an_unknown_code_are_what_the_caller_says():
    assert OmbudsmanDecision.words_of("referred_back") == "Referred back for local resolution"
    assert Compliance.words_of("unheard_of") is None
    assert ActionSource.words_of(None, "Not recorded") == "Not recorded"


def test_hints_are_only_those_a_vocabulary_has():
    assert RestrictionCode.hints()["limited_phone_calls"] == "For example, one call a week at an agreed time"
    assert len(RestrictionCode.hints()) == len(RestrictionCode)
    assert ActionStatus.hints() == {}


@pytest.mark.parametrize("code, words", [
    ("staff", "Member of staff"), ("web", "Web form"), ("text", "Text message"), ("query", "Question"),
    ("not_asked", "Not asked yet"), ("in_progress", "In progress"), ("status_change", "Status change"),
    ("partially_upheld", "Partially upheld"), ("initial_enquiries", "Initial enquiries"),
    ("single_point_of_contact", "Single point of contact"),
])
def test_the_label_filter_says_the_everyday_codes_in_their_words(code, words):
    assert label(code) == words


def test_a_code_no_vocabulary_knows_reads_as_itself_and_none_as_nothing():
    assert label("not_recorded") == "Not recorded"
    assert label(None) == ""


def test_a_code_shared_by_everyday_vocabularies_has_the_same_words_in_each():
    seen: dict[str, str] = {}
    for vocabulary in EVERYDAY:
        for member in vocabulary:
            assert seen.setdefault(member.value, member.words) == member.words, member
