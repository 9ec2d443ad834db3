"""Unreasonably persistent contact: letters that restrict how a person contacts us,
shown to staff on that person's cases, and reviewed.

DOMAIN.md, "Unreasonably persistent contact": the Customer Feedback Manager may write to
a person about unreasonable, persistent or vexatious contact. Record the person, the
date of the letter, the restrictions (``RestrictionCode``), the reason, the
decision maker, the review date (default six months after the letter), and the review's
date and result: renewed (with reasons), changed, or lifted.

Restrictions are proportionate and never stop a new complaint from being considered on
its merits: nothing here is consulted when feedback arrives. The portal shows the
restriction to staff (``active_for_person``, ``active_for_feedback``); it never blocks a
submission.

A restriction applies from its letter date until a review lifts it. Imported history
holds the result only as words: a result beginning "Lifted" counts as lifted. A review
is due from its review date until a review is recorded on or after that date.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, not_, or_, select

from portal.extensions import db
from portal.models import ContactRestriction, Feedback, Person, StaffUser
from portal.services.casework import common
from portal.services.common.dates import today_or
from portal.services.common.dates import add_months
from portal.services.common.labels import RestrictionCode, ReviewOutcome
from portal.services.common.errors import Refused

if TYPE_CHECKING:  # the reminder runner belongs to the procedures services
    from portal.services.procedures.reminders import Reminder

DEFAULT_REVIEW_MONTHS = 6


def default_review_date(from_day: date) -> date:
    return add_months(from_day, DEFAULT_REVIEW_MONTHS)


def describe(codes: list[str]) -> list[str]:
    """The restrictions in words, in the order of the list in DOMAIN.md."""
    return [code.words for code in RestrictionCode if code in codes]


# --- Recording -------------------------------------------------------------------------


def record_letter(
    person: Person,
    letter_issued_on: date | None,
    restrictions: list[str],
    reason: str,
    decided_by: str,
    actor: StaffUser,
    review_on: date | None = None,
    today: date | None = None,
) -> ContactRestriction:
    """A letter to ``person`` setting restrictions; reviewed six months after the letter
    unless another date is given (not committed here). The person's name, email and
    phone are copied as the letter names them."""
    today = today_or(today)
    if person is None:
        raise Refused("Select the person the letter was sent to", "person")
    common.past_date(letter_issued_on, today, "the date of the letter", "letter_issued_on")
    codes = _codes(restrictions)
    reason, decided_by = common.text(reason), common.text(decided_by)
    if reason is None:
        raise Refused("Enter the reason for the restrictions", "reason")
    if decided_by is None:
        raise Refused("Enter who decided the restrictions", "decided_by")
    review_on = review_on or default_review_date(letter_issued_on)
    if review_on <= letter_issued_on:
        raise Refused("The review date must be after the date of the letter", "review_on")
    restriction = ContactRestriction(
        person=person, person_name=person.name, person_email=person.email, person_phone=person.phone,
        letter_issued_on=letter_issued_on, restrictions=codes, reason=reason, decided_by=decided_by,
        review_on=review_on,
    )
    db.session.add(restriction)
    common.flush_as(actor)
    return restriction


def record_review(
    restriction: ContactRestriction,
    reviewed_on: date | None,
    outcome: str,
    actor: StaffUser,
    reasons: str | None = None,
    restrictions: list[str] | None = None,
    next_review_on: date | None = None,
    today: date | None = None,
) -> ContactRestriction:
    """The review's date and result:

    - ``renewed``: the same restrictions, with the reasons for keeping them;
    - ``changed``: the new list of restrictions (reasons optional);
    - ``lifted``: the restrictions end on the review date.

    Renewed and changed restrictions are reviewed again six months after this review
    unless another date is given. Earlier reviews stay in the audit trail.
    """
    today = today_or(today)
    if outcome not in ReviewOutcome:
        raise Refused("Select the result of the review", "outcome")
    common.past_date(reviewed_on, today, "the date of the review", "reviewed_on",
                     earliest=restriction.letter_issued_on, earliest_what="the date of the letter")
    reasons = common.text(reasons)
    if outcome == "renewed":
        if reasons is None:
            raise Refused("Enter the reasons for renewing the restrictions", "reasons")
        result = f"Renewed: {reasons}"
    elif outcome == "changed":
        codes = _codes(restrictions or [])
        restriction.restrictions = codes
        result = "Changed to: " + "; ".join(describe(codes)) + (f". {reasons}" if reasons else "")
    else:
        result = "Lifted" + (f": {reasons}" if reasons else "")
    if outcome == "lifted":
        next_review_on = None
    else:
        next_review_on = next_review_on or default_review_date(reviewed_on)
        if next_review_on <= reviewed_on:
            raise Refused("The next review date must be after the date of this review", "next_review_on")
    restriction.reviewed_on = reviewed_on
    restriction.review_outcome = outcome
    restriction.review_result = result
    if next_review_on is not None:
        restriction.review_on = next_review_on
    common.flush_as(actor)
    return restriction


def _codes(chosen: list[str]) -> list[str]:
    chosen = list(chosen or [])
    if not chosen:
        raise Refused("Select at least one restriction", "restrictions")
    if any(code not in RestrictionCode for code in chosen):
        raise Refused("Select restrictions from the list", "restrictions")
    return [code.value for code in RestrictionCode if code in chosen]


# --- What applies now ------------------------------------------------------------------


def _lifted():
    # Written so that no part is NULL: NOT (NULL) would hide every restriction never reviewed.
    return or_(
        func.coalesce(ContactRestriction.review_outcome, "") == "lifted",
        and_(ContactRestriction.review_outcome.is_(None),
             func.lower(func.coalesce(ContactRestriction.review_result, "")).like("lifted%")),
    )


def _active(today: date):
    return and_(ContactRestriction.letter_issued_on <= today, not_(_lifted()))


def is_lifted(restriction: ContactRestriction) -> bool:
    if restriction.review_outcome is not None:
        return restriction.review_outcome == "lifted"
    return (restriction.review_result or "").strip().lower().startswith("lifted")


def active_for_person(person: Person | None, today: date | None = None) -> list[ContactRestriction]:
    """The restrictions that apply to this person now, newest letter first: the notice
    staff see on the person's record and on each of their cases. Matched by the person's
    record, or by their email address for letters not linked to it."""
    if person is None or person.id is None:
        return []
    today = today_or(today)
    same_person = ContactRestriction.person_id == person.id
    if person.email:
        same_person = or_(same_person, and_(
            ContactRestriction.person_id.is_(None),
            func.lower(ContactRestriction.person_email) == person.email.lower(),
        ))
    return list(db.session.scalars(
        select(ContactRestriction).where(same_person, _active(today))
        .order_by(ContactRestriction.letter_issued_on.desc(), ContactRestriction.id.desc())
    ))


def active_for_feedback(record: Feedback, today: date | None = None) -> list[ContactRestriction]:
    """The restrictions that apply now to the person who sent this record."""
    return active_for_person(record.person, today)


# --- Reviews ---------------------------------------------------------------------------


def _review_due(today: date):
    return and_(
        _active(today),
        ContactRestriction.review_on.is_not(None),
        ContactRestriction.review_on <= today,
        or_(ContactRestriction.reviewed_on.is_(None), ContactRestriction.reviewed_on < ContactRestriction.review_on),
    )


def is_review_due(restriction: ContactRestriction, today: date) -> bool:
    return (
        not is_lifted(restriction)
        and restriction.review_on is not None
        and restriction.review_on <= today
        and (restriction.reviewed_on is None or restriction.reviewed_on < restriction.review_on)
    )


def reviews_due(today: date) -> list[ContactRestriction]:
    """Restrictions whose review date has come and that have not been reviewed since,
    oldest review date first (the feedback manager's dashboard)."""
    return list(db.session.scalars(
        select(ContactRestriction).where(_review_due(today))
        .order_by(ContactRestriction.review_on, ContactRestriction.id)
    ))


def review_reminders(today: date) -> list[Reminder]:
    """A ``send-reminders`` source: remind each feedback manager (the team mailbox when
    there is none) of reviews that have come due, once for each review date: the email
    lists the restrictions due for review on that date. A run missed on the day is made
    up by the next; a renewal sets a new review date, and so a new reminder when it
    comes. Reviews still not recorded stay on the dashboard (``reviews_due``)."""
    by_date: dict[date, list[ContactRestriction]] = {}
    for restriction in reviews_due(today):
        by_date.setdefault(restriction.review_on, []).append(restriction)
    reminders = []
    for review_on, items in by_date.items():
        subject = ("A contact restriction is due for review" if len(items) == 1
                   else f"Contact restrictions due for review: {len(items)}")
        for to, manager in common.recipients_or_mailbox(common.feedback_managers()):
            reminders.append(common.reminder(
                to, subject, "email/restriction_reviews.txt", "restriction_review", review_on.isoformat(),
                person=manager, restrictions=items, today=today,
            ))
    return reminders
