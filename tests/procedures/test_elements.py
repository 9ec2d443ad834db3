"""Elements and outcomes (DOMAIN.md, Elements and outcomes; issue 5, 6)."""

from datetime import date

import pytest

from portal.models import Element
from portal.services.common.errors import Refused
from portal.services.procedures.elements import add_element, remove_element, set_outcome
from portal.services.procedures.escalation import request_next_stage
from portal.services.procedures.responses import send_response

from .conftest import TODAY


def test_elements_are_numbered_in_order_and_take_one_of_the_five_outcomes(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    second = add_element(stage, "Transport was late every day", officer)
    third = add_element(stage, "Nobody answered my emails", officer)
    assert [e.number for e in stage.elements] == [1, 2, 3]
    with pytest.raises(Refused) as refusal:
        set_outcome(second, "sort_of_upheld", officer)
    assert refusal.value.field == "outcome"
    for outcome in ("upheld", "partially_upheld", "not_upheld", "unable_to_determine", "withdrawn"):
        set_outcome(third, outcome, officer)
    assert third.outcome == "withdrawn"
    remove_element(second, officer)
    assert [e.number for e in stage.elements] == [1, 3]
    with pytest.raises(Refused) as refusal:
        add_element(stage, " ", officer)
    assert refusal.value.field == "summary"


def test_a_stage_cannot_be_responded_to_while_an_element_lacks_an_outcome(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    add_element(stage, "Transport was late", officer)
    set_outcome(stage.elements[1], "upheld", officer)
    with pytest.raises(Refused) as refusal:
        send_response(stage, "Our response ... by 6 February 2024", "post", date(2024, 1, 9),
                      officer, today=TODAY)
    assert refusal.value.field == "elements"
    assert str(refusal.value) == "Give element 1 an outcome before responding to Stage 1"
    assert stage.responded_on is None


def test_a_stage_without_elements_cannot_be_responded_to(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    stage = record.stages[0]
    remove_element(stage.elements[0], officer)
    with pytest.raises(Refused, match="Add the elements"):
        send_response(stage, "text", "post", date(2024, 1, 9), officer, today=TODAY)


def test_stage2_starts_from_the_elements_carried_up_from_stage1_plus_new_ones(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), date(2024, 1, 9)),))
    first = record.stages[0]
    first.elements.append(Element(number=2, summary="Transport was late", outcome="upheld"))
    first.elements.append(Element(number=3, summary="A letter went astray", outcome="withdrawn"))
    stage = request_next_stage(record, date(2024, 1, 15), officer, today=TODAY)
    assert [(e.number, e.summary, e.outcome) for e in stage.elements] == [
        (1, "The social worker did not call back", None),
        (2, "Transport was late", None),
    ]  # the withdrawn element stays behind; outcomes are decided afresh
    new = add_element(stage, "The Stage 1 response came late", officer)
    assert new.number == 3
    assert [e.outcome for e in first.elements] == ["not_upheld", "upheld", "withdrawn"]


def test_elements_of_a_responded_stage_cannot_change(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), date(2024, 1, 9)),))
    with pytest.raises(Refused, match="responded to on 9 January 2024"):
        set_outcome(record.stages[0].elements[0], "upheld", officer)
