"""Ombudsman enquiries: the Local Government and Social Care Ombudsman (LGSCO) asks
about a complaint, investigates, decides, and recommends what the organisation should do.

DOMAIN.md, "Ombudsman (LGSCO)": record the LGSCO reference, the date notified, the linked
complaint, the status (initial enquiries, investigation, decided), the decision (upheld,
not upheld, closed after initial enquiries, referred back for local resolution,
incomplete or invalid, advice given), each recommendation with its due date and
compliance (on time, late, not complied), and any remedy amount.

The remedy amount is what the Ombudsman recommended; money actually paid is a payment
(``portal.services.casework.payments``), and only payments count as remedies paid.

Recommendations still to be complied with are "due soon" from ``DUE_SOON_WORKING_DAYS``
working days before their due date, and overdue the day after it. Both show on the
dashboard (``recommendations_needing_attention``) and go into the daily reminders
(``recommendation_reminders``, a ``send-reminders`` source).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from portal.extensions import db
from portal.models import (
    Feedback,
    OmbudsmanEnquiry,
    OmbudsmanRecommendation,
    StaffUser,
)
from portal.services.common import timeline
from portal.services.common.labels import OmbudsmanDecision, OmbudsmanStatus, TimelineKind
from portal.services.casework import common
from portal.services.common.dates import not_after_today, spoken, today_or
from portal.services.intake import references
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.common.errors import Refused, check_version
from portal.services.casework.payments import parse_amount
from portal.services.accounts.permissions import visible_feedback
from portal.services.procedures.working_days import Calendar

if TYPE_CHECKING:  # the reminder runner belongs to the procedures services
    from portal.services.procedures.reminders import Reminder

DUE_SOON_WORKING_DAYS = 5
PENDING = "pending"


# --- Enquiries -------------------------------------------------------------------------


def record_enquiry(
    feedback: Feedback,
    reference: str,
    notified_on: date | None,
    actor: StaffUser,
    status: str = "initial_enquiries",
    today: date | None = None,
    *,
    version: int | None = None,
) -> OmbudsmanEnquiry:
    """An enquiry about a complaint the portal holds (not committed here)."""
    check_version(feedback, version)
    today = today_or(today)
    enquiry = OmbudsmanEnquiry(feedback=feedback)
    _set_reference(enquiry, reference, notified_on, today)
    _check_status(status)
    if status == "decided":
        raise Refused("Record the decision to mark the enquiry as decided", "status")
    enquiry.status = status
    db.session.add(enquiry)
    _on_timeline(feedback, f"The Ombudsman told us on {spoken(notified_on)} of enquiry {enquiry.reference} "
                 f"({OmbudsmanStatus.words_of(status).lower()})", actor)
    common.flush_as(actor)
    return enquiry


def _on_timeline(record: Feedback, text: str, actor: StaffUser) -> None:
    """The Ombudsman's part in the case, on its timeline: what the case file's index (the
    Ombudsman bundle, issue 17) and the officer read of the case's history. Loading the
    timeline must not flush the change early, before ``flush_as`` names who made it."""
    with db.session.no_autoflush:
        timeline.add(record, TimelineKind.OMBUDSMAN, text, actor)


def record_enquiry_for_unknown_complaint(
    reference: str,
    notified_on: date | None,
    summary: str,
    actor: StaffUser,
    submitter_role: str = "other",
    team_id: int | None = None,
    status: str = "initial_enquiries",
    today: date | None = None,
) -> OmbudsmanEnquiry:
    """An enquiry about a complaint the portal never held (made before the portal, or
    straight to the Ombudsman): a new complaint record is made to hold it, received on
    the date notified, with a reference of its own."""
    today = today_or(today)
    summary = common.text(summary)
    if summary is None:
        raise Refused("Enter what the complaint is about", "summary")
    if notified_on is None:
        raise Refused("Enter the date the Ombudsman told us", "notified_on")
    record = Feedback(
        reference=references.next_reference(notified_on.year),
        kind="complaint",
        status="open",
        received_on=notified_on,
        channel="other",
        submitter_role=submitter_role,
        team_id=team_id,
        summary=summary,
    )
    db.session.add(record)
    return record_enquiry(record, reference, notified_on, actor, status, today)


def update_enquiry(
    enquiry: OmbudsmanEnquiry,
    reference: str,
    notified_on: date | None,
    status: str,
    actor: StaffUser,
    today: date | None = None,
    *,
    version: int | None = None,
) -> OmbudsmanEnquiry:
    """Correct the reference or date, or move the enquiry on (initial enquiries to
    investigation). Use ``record_decision`` to decide it."""
    check_version(enquiry.feedback, version)
    today = today_or(today)
    _set_reference(enquiry, reference, notified_on, today)
    _check_status(status)
    if status == "decided" and enquiry.decision is None:
        raise Refused("Record the decision to mark the enquiry as decided", "status")
    if status != "decided" and enquiry.decision is not None:
        # Reopening a decided enquiry clears the decision: the Ombudsman has not decided yet.
        enquiry.decision = None
        enquiry.remedied_before = False
        enquiry.decided_on = None
    if status != enquiry.status:
        _on_timeline(enquiry.feedback, f"The Ombudsman's enquiry {enquiry.reference} is now at "
                     f"{OmbudsmanStatus.words_of(status).lower()}", actor)
    enquiry.status = status
    common.flush_as(actor)
    return enquiry


def record_decision(
    enquiry: OmbudsmanEnquiry,
    decision: str,
    decided_on: date | None,
    actor: StaffUser,
    remedy_amount: str | None = None,
    today: date | None = None,
    *,
    remedied_before: bool = False,
    version: int | None = None,
) -> OmbudsmanEnquiry:
    """The Ombudsman's decision; the enquiry is then decided. ``remedy_amount`` is the
    money the Ombudsman recommended, as staff typed it ("£500"), or empty for none.
    ``remedied_before``: the Ombudsman found the complaint upheld but already put right
    before they became involved (the third figure of their annual letter); it is kept
    only with an upheld decision."""
    check_version(enquiry.feedback, version)
    today = today_or(today)
    if decision not in OmbudsmanDecision:
        raise Refused("Select the Ombudsman's decision", "decision")
    common.past_date(decided_on, today, "the date of the decision", "decided_on",
                     earliest=enquiry.notified_on, earliest_what="the date the Ombudsman told us")
    remedy = None
    if remedy_amount is not None and str(remedy_amount).strip():
        try:
            remedy = parse_amount(remedy_amount, field="remedy_amount")
        except Refused as refused:
            raise Refused(str(refused), refused.field) from refused
    enquiry.decision = decision
    enquiry.decided_on = decided_on
    enquiry.status = "decided"
    enquiry.remedy_amount = remedy
    enquiry.remedied_before = bool(remedied_before) and decision == OmbudsmanDecision.UPHELD
    said = f"The Ombudsman decided enquiry {enquiry.reference} on {spoken(decided_on)}: " \
           f"{OmbudsmanDecision.words_of(decision).lower()}"
    if remedy is not None:
        said += f", recommending £{remedy:,.2f}"
    if enquiry.remedied_before:
        said += ", and found we had put things right before it became involved"
    _on_timeline(enquiry.feedback, said, actor)
    common.flush_as(actor)
    return enquiry


def _set_reference(enquiry: OmbudsmanEnquiry, reference: str, notified_on: date | None, today: date) -> None:
    reference = common.text(reference)
    if reference is None:
        raise Refused("Enter the LGSCO reference", "reference")
    if len(reference) > 60:
        raise Refused("The LGSCO reference must be 60 characters or fewer", "reference")
    common.past_date(notified_on, today, "the date the Ombudsman told us", "notified_on")
    enquiry.reference = reference
    enquiry.notified_on = notified_on


def _check_status(status: str) -> None:
    if status not in OmbudsmanStatus:
        raise Refused("Select the status of the enquiry", "status")


# --- Recommendations -------------------------------------------------------------------


def add_recommendation(
    enquiry: OmbudsmanEnquiry, text: str, due_on: date | None, actor: StaffUser, *,
    version: int | None = None,
) -> OmbudsmanRecommendation:
    """A recommendation, pending until complied with (or not)."""
    check_version(enquiry.feedback, version)
    text = common.text(text)
    if text is None:
        raise Refused("Enter the recommendation", "text")
    if due_on is not None and due_on < enquiry.notified_on:
        raise Refused("The due date must be on or after the date the Ombudsman told us", "due_on")
    recommendation = OmbudsmanRecommendation(text=text, due_on=due_on, compliance=PENDING)
    enquiry.recommendations.append(recommendation)
    _on_timeline(enquiry.feedback, f"The Ombudsman recommended: {text}"
                 + (f" (by {spoken(due_on)})" if due_on else ""), actor)
    common.flush_as(actor)
    return recommendation


def record_compliance(
    recommendation: OmbudsmanRecommendation,
    complied_on: date | None,
    actor: StaffUser,
    today: date | None = None,
    *,
    version: int | None = None,
) -> OmbudsmanRecommendation:
    """Complied with on a date: on time when on or before the due date, else late."""
    check_version(recommendation.enquiry.feedback, version)
    today = today_or(today)
    if complied_on is None:
        raise Refused("Enter the date the recommendation was complied with", "complied_on")
    not_after_today(complied_on, today, "The date complied with must be today or in the past",
                             "complied_on")
    recommendation.complied_on = complied_on
    recommendation.compliance = compliance_on(recommendation.due_on, complied_on)
    _on_timeline(recommendation.enquiry.feedback, f"Complied with the Ombudsman's recommendation on "
                 f"{spoken(complied_on)} ({'on time' if recommendation.compliance == 'on_time' else 'late'}): "
                 f"{recommendation.text}", actor)
    common.flush_as(actor)
    return recommendation


def record_not_complied(recommendation: OmbudsmanRecommendation, actor: StaffUser, *,
                        version: int | None = None) -> OmbudsmanRecommendation:
    """The organisation did not comply (the Ombudsman may then publish a report)."""
    check_version(recommendation.enquiry.feedback, version)
    recommendation.complied_on = None
    recommendation.compliance = "not_complied"
    _on_timeline(recommendation.enquiry.feedback, f"Did not comply with the Ombudsman's recommendation: "
                 f"{recommendation.text}", actor)
    common.flush_as(actor)
    return recommendation


def compliance_on(due_on: date | None, complied_on: date) -> str:
    """On time when complied with on or before the due date (or there was none)."""
    return "on_time" if due_on is None or complied_on <= due_on else "late"


def is_pending(recommendation: OmbudsmanRecommendation) -> bool:
    return recommendation.compliance in (None, PENDING)


def is_overdue(recommendation: OmbudsmanRecommendation, today: date) -> bool:
    """Still to be complied with and past its due date (due today is not yet overdue)."""
    return is_pending(recommendation) and recommendation.due_on is not None and recommendation.due_on < today


# --- Due soon and overdue --------------------------------------------------------------


@dataclass(frozen=True)
class DueRecommendation:
    recommendation: OmbudsmanRecommendation
    overdue: bool

    @property
    def enquiry(self) -> OmbudsmanEnquiry:
        return self.recommendation.enquiry

    @property
    def feedback(self) -> Feedback:
        return self.recommendation.enquiry.feedback


def due_soon_from(today: date, calendar: Calendar) -> date:
    """The last due date counted as "due soon" today."""
    return working_days.add(today, DUE_SOON_WORKING_DAYS, calendar)


def recommendations_needing_attention(
    today: date, calendar: Calendar, viewer: StaffUser | None = None
) -> list[DueRecommendation]:
    """Recommendations still to be complied with that are overdue or due within
    ``DUE_SOON_WORKING_DAYS`` working days, overdue first, then by due date: the
    dashboard's list. With ``viewer``, only those on cases that person may see."""
    query = (
        select(OmbudsmanRecommendation)
        .join(OmbudsmanEnquiry, OmbudsmanRecommendation.enquiry_id == OmbudsmanEnquiry.id)
        .join(Feedback, OmbudsmanEnquiry.feedback_id == Feedback.id)
        .where(
            or_(OmbudsmanRecommendation.compliance.is_(None), OmbudsmanRecommendation.compliance == PENDING),
            OmbudsmanRecommendation.due_on.is_not(None),
            OmbudsmanRecommendation.due_on <= due_soon_from(today, calendar),
        )
        .order_by(OmbudsmanRecommendation.due_on, OmbudsmanRecommendation.id)
    )
    if viewer is not None:
        query = query.where(visible_feedback(viewer))
    return [DueRecommendation(r, r.due_on < today) for r in db.session.scalars(query)]


def recommendation_reminders(today: date, calendar: Calendar | None = None) -> list[Reminder]:
    """A ``send-reminders`` source: on each working day, one email to each feedback
    manager listing the recommendations overdue or due within ``DUE_SOON_WORKING_DAYS``
    working days, and one to each assigned officer listing those on their cases (the
    team mailbox when there is no feedback manager). Daily, like the stage reminders:
    the Ombudsman publishes non-compliance, so these are worth a daily nudge until the
    compliance is recorded."""
    calendar = calendar or current_calendar()
    if not calendar.is_working_day(today):
        return []
    due = recommendations_needing_attention(today, calendar)
    if not due:
        return []
    lists: dict[str, tuple[StaffUser | None, list[DueRecommendation]]] = {}
    for to, person in common.recipients_or_mailbox(common.feedback_managers()):
        lists[to] = (person, list(due))
    for item in due:
        officer = item.feedback.assigned_to
        if officer is not None and officer.active:
            lists.setdefault(officer.email, (officer, []))
            if item not in lists[officer.email][1]:
                lists[officer.email][1].append(item)
    reminders = []
    for to, (person, items) in lists.items():
        overdue = sum(1 for item in items if item.overdue)
        subject = f"Ombudsman recommendations: {overdue} overdue, {len(items) - overdue} due soon"
        reminders.append(common.reminder(
            to, subject, "email/ombudsman_recommendations.txt", "ombudsman_reminder", today.isoformat(),
            person=person, items=items, today=today, due_soon_days=DUE_SOON_WORKING_DAYS,
        ))
    return reminders
