"""Retention rules: how long each kind of personal data is kept, and the date it runs from.

docs/data-protection.md, "Retention rules" (from DOMAIN.md, "Data protection": retention is
configurable, by default destroy six years after closure; issue 8 sets the defaults per
kind): compliments are kept two years after they were shared, initial contacts, complaints
and letters about persistent contact six years after their closure. An administrator may
change the months per kind. Months are calendar months (``common.dates.add_months``).

What is due on a date and the purge itself are in ``purge``; the holds that stop it in
``holds``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, RetentionRule, StaffUser
from portal.models.data_protection import DEFAULT_RETENTION_MONTHS, RETENTION_KINDS
from portal.services.common.errors import Refused

KIND_LABELS = {
    "compliment": "Compliments",
    "initial_contact": "Initial contacts",
    "complaint": "Complaints",
    "contact_restriction": "Letters about persistent contact",
}
FROM_WHEN = {
    "compliment": "after the compliment was shared with the team (or, if never shared, received)",
    "initial_contact": "after its outcome (one progressed into a procedure is kept as a complaint)",
    "complaint": "after closure: the last stage response, outcome or Ombudsman decision",
    "contact_restriction": "after the letter, or its last review",
}


# --- Rules ------------------------------------------------------------------------------


def months_kept() -> dict[str, int]:
    """Months kept after closure, per kind: an administrator's rule, else the default."""
    months = dict(DEFAULT_RETENTION_MONTHS)
    for rule in db.session.scalars(select(RetentionRule)):
        if rule.kind in months:
            months[rule.kind] = rule.months
    return months


def set_rule(kind: str, months: int, user: StaffUser | None = None) -> None:
    """Change how long a kind of record is kept (audited as a row change). Not committed."""
    if kind not in RETENTION_KINDS:
        raise Refused(f"unknown kind of record {kind!r}")
    if not 1 <= months <= 1200:
        raise Refused("Enter a number of months between 1 and 1200")
    rule = db.session.get(RetentionRule, kind)
    if rule is None:
        rule = RetentionRule(kind=kind, months=months)
        db.session.add(rule)
    rule.months = months
    rule.updated_by_id = user.id if user else None


def retention_kind(record: Feedback) -> str:
    """The kind whose months a record is kept for: an initial contact progressed into a
    procedure is kept as the complaint it became (its months, its label in a purge's
    counts), as it closes as one."""
    if record.kind == "initial_contact" and (record.procedure is not None or record.stages):
        return "complaint"
    return record.kind


def closure_date(record: Feedback) -> date | None:
    """The date a record's retention runs from, or None while it is not closed.

    - a compliment: the date it was shared with the team; never shared, the date received;
    - an initial contact that stayed one: its outcome's date, once resolved, withdrawn or
      referred elsewhere (an open one is not closed);
    - a complaint, or an initial contact progressed into a procedure: once every stage has
      responded and every Ombudsman enquiry is decided, the latest of those responses, the
      outcome and the Ombudsman decisions.
    """
    if record.kind == "compliment" and record.procedure is None:
        return record.shared_on or record.received_on
    dates: list[date] = []
    if record.procedure is None and not record.stages:
        if record.outcome in (None, "open", "progressed") or record.outcome_on is None:
            return None
        dates.append(record.outcome_on)
    else:
        if not record.stages or any(s.responded_on is None for s in record.stages):
            return None
        dates.extend(s.responded_on for s in record.stages)
        if record.outcome_on is not None:
            dates.append(record.outcome_on)
    for enquiry in record.ombudsman_enquiries:
        if enquiry.decided_on is None:
            return None
        dates.append(enquiry.decided_on)
    return max(dates)


def restriction_closure_date(restriction: ContactRestriction) -> date:
    """The date a letter about persistent contact closes: the latest of the letter, its
    review date and the date it was reviewed."""
    return max(d for d in (restriction.letter_issued_on, restriction.reviewed_on,
                           restriction.review_on) if d is not None)


# --- For staff pages --------------------------------------------------------------------


def rule_rows() -> list[dict]:
    """Each kind with its months, whether it is the default, and what it runs from."""
    current = months_kept()
    return [
        {"kind": kind, "label": KIND_LABELS[kind], "months": current[kind],
         "default": DEFAULT_RETENTION_MONTHS[kind], "from_when": FROM_WHEN[kind]}
        for kind in RETENTION_KINDS
    ]
