"""Every casework change made from the case page checks the version of the case its form
was drawn from (issue 15, "every service that changes a case checks its version"): from
an out-of-date page it is an edit conflict and changes nothing; without a version (the
action plan's rows, the Ombudsman page for an unknown complaint) it goes ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from portal.extensions import db
from portal.models import Feedback, OmbudsmanEnquiry, OmbudsmanRecommendation, Payment, StaffUser
from portal.services.casework import learning_actions, ombudsman, payments
from portal.services.common.errors import EditConflict

TODAY = date(2024, 6, 12)  # a Wednesday


@dataclass
class Case:
    record: Feedback
    enquiry: OmbudsmanEnquiry
    recommendation: OmbudsmanRecommendation
    payment: Payment
    officer: StaffUser


@pytest.fixture
def case(make_complaint, officer) -> Case:
    record = make_complaint()
    enquiry = ombudsman.record_enquiry(record, "23 012 345", date(2024, 4, 2), officer, today=TODAY)
    recommendation = ombudsman.add_recommendation(enquiry, "Apologise in writing", date(2024, 7, 1), officer)
    payment = payments.record_payment(record, "investigation_cost", "£450", date(2024, 5, 1), officer,
                                      reason="Independent Person's fee", today=TODAY)
    db.session.commit()
    return Case(record, enquiry, recommendation, payment, officer)


ACTIONS = {
    "record an enquiry": lambda c, **v: ombudsman.record_enquiry(
        c.record, "24 000 111", date(2024, 6, 3), c.officer, today=TODAY, **v),
    "change its status": lambda c, **v: ombudsman.update_enquiry(
        c.enquiry, c.enquiry.reference, c.enquiry.notified_on, "investigation", c.officer, today=TODAY, **v),
    "record the decision": lambda c, **v: ombudsman.record_decision(
        c.enquiry, "upheld", date(2024, 6, 1), c.officer, remedy_amount="£500", today=TODAY, **v),
    "add a recommendation": lambda c, **v: ombudsman.add_recommendation(
        c.enquiry, "Review how placements end", date(2024, 8, 30), c.officer, **v),
    "record compliance": lambda c, **v: ombudsman.record_compliance(
        c.recommendation, date(2024, 6, 10), c.officer, today=TODAY, **v),
    "record not complied": lambda c, **v: ombudsman.record_not_complied(c.recommendation, c.officer, **v),
    "record a payment": lambda c, **v: payments.record_payment(
        c.record, "financial_remedy", "£250", date(2024, 6, 3), c.officer, decided_by="Adjudicating manager",
        reason="Time and trouble", today=TODAY, **v),
    "correct a payment": lambda c, **v: payments.correct_payment(
        c.payment, "investigation_cost", "£400", date(2024, 5, 1), c.officer,
        reason="Independent Person's fee", today=TODAY, **v),
    "remove a payment": lambda c, **v: payments.remove_payment(c.payment, c.officer, **v),
    "raise an action": lambda c, **v: learning_actions.raise_action(
        c.record, "2", "Train the team on placement endings", c.officer, date(2024, 9, 30), c.officer,
        today=TODAY, **v),
    "raise an action from a recommendation": lambda c, **v: learning_actions.raise_action_from_recommendation(
        c.recommendation, c.officer, None, c.officer, today=TODAY, **v),
}


def what_the_case_holds(c: Case) -> tuple:
    """Everything the actions above could change, read from the database afresh."""
    db.session.expire_all()
    record = db.session.get(Feedback, c.record.id)
    return (
        record.version,
        [(e.reference, e.status, e.decision, e.decided_on, e.remedy_amount) for e in record.ombudsman_enquiries],
        [(r.text, r.due_on, r.compliance, r.complied_on)
         for e in record.ombudsman_enquiries for r in e.recommendations],
        [(p.kind, p.amount_pence, p.paid_on, p.description) for p in record.payments],
        [(a.recommendation, a.source, a.recommendation_id) for a in record.learning_actions],
    )


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_a_change_from_an_out_of_date_page_is_a_conflict_and_changes_nothing(case, action):
    before = what_the_case_holds(case)
    with pytest.raises(EditConflict) as conflict:
        action(case, version=case.record.version - 1)
    assert conflict.value.record is case.record
    db.session.commit()  # whatever the service might have begun would be saved now
    assert what_the_case_holds(case) == before


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_a_change_from_the_page_as_it_is_goes_ahead(case, action):
    before = what_the_case_holds(case)
    action(case, version=case.record.version)
    db.session.commit()
    assert what_the_case_holds(case) != before


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_a_change_from_a_form_without_a_version_goes_ahead(case, action):
    before = what_the_case_holds(case)
    action(case)
    db.session.commit()
    assert what_the_case_holds(case) != before
