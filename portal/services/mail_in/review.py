"""The list staff review (issue 19, 3): the messages that did not become a case or join
one (auto-replies, bounces, mail from the portal itself, spam, messages that could not be
read, and those naming a case from an address it does not know), newest first, until a
member of staff deals with each: adds it to the case it names, makes a new record of it,
or marks it as nothing to do. Each is audited (the row's change) and the portal answers
none of them.
"""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, MailInMessage, StaffUser
from portal.services.accounts.permissions import can_view_feedback, has_permission
from portal.services.common.dates import now_utc
from portal.services.common.errors import Refused
from portal.services.common.labels import MailInKind, MailInReview
from portal.services.mail_in import parse as parsing
from portal.services.mail_in import receive
from portal.services.mail_in.receive import InSettings

FOR_REVIEW = tuple(k.value for k in MailInKind if k not in (MailInKind.CASE, MailInKind.NEW_RECORD))
SHOWN = 200


def waiting(limit: int = SHOWN) -> list[MailInMessage]:
    return list(db.session.scalars(select(MailInMessage).where(
        MailInMessage.kind.in_(FOR_REVIEW), MailInMessage.reviewed_at.is_(None))
        .order_by(MailInMessage.received_at.desc(), MailInMessage.id.desc()).limit(limit)))


def waiting_count() -> int:
    return db.session.scalar(select(func.count(MailInMessage.id)).where(
        MailInMessage.kind.in_(FOR_REVIEW), MailInMessage.reviewed_at.is_(None))) or 0


def recently_reviewed(limit: int = 20) -> list[MailInMessage]:
    return list(db.session.scalars(select(MailInMessage).where(MailInMessage.reviewed_at.is_not(None))
                                   .order_by(MailInMessage.reviewed_at.desc()).limit(limit)))


def find(message_id: int) -> MailInMessage | None:
    row = db.session.get(MailInMessage, message_id)
    return row if row is not None and row.kind in FOR_REVIEW else None


def named_case(row: MailInMessage) -> Feedback | None:
    if not row.named_reference:
        return None
    record = db.session.scalars(select(Feedback).where(Feedback.reference == row.named_reference)).first()
    return record if record is not None and record.purged_at is None else None


def _waiting(row: MailInMessage) -> None:
    if row.reviewed_at is not None:
        raise Refused("Someone has already dealt with this email", None)


def _parsed(row: MailInMessage, settings: InSettings) -> parsing.Parsed:
    with settings.files.store.open(row.storage_key) as content:
        return parsing.parse(content.read())


def _done(row: MailInMessage, actor: StaffUser, action: MailInReview) -> None:
    row.reviewed_at, row.reviewed_by, row.review_action = now_utc(), actor, action.value


def add_to_case(row: MailInMessage, actor: StaffUser, settings: InSettings) -> Feedback:
    """A member of staff who has checked the sender adds the email to the case it names."""
    _waiting(row)
    record = named_case(row)
    if record is None:
        raise Refused("This email names no case the portal holds: make a new record of it instead", None)
    if not (has_permission(actor, "edit_cases") and can_view_feedback(actor, record)):
        raise Refused("You cannot change the case it names", None)
    receive.join(_parsed(row, settings), row, record, settings, how=None, by=actor)
    row.reason = f"Added to {record.reference} by {actor.name}, who checked who sent it"
    _done(row, actor, MailInReview.ADDED_TO_CASE)
    return record


def make_new_record(row: MailInMessage, actor: StaffUser, settings: InSettings) -> Feedback:
    """The email is something to triage after all (an auto-reply that was a person writing)."""
    _waiting(row)
    if not has_permission(actor, "edit_cases"):
        raise Refused("You cannot make records", None)
    record = receive.new_record(_parsed(row, settings), row, settings, now_utc(), by=actor)
    row.reason = f"Made a new record by {actor.name}"
    _done(row, actor, MailInReview.NEW_RECORD)
    return record


def dismiss(row: MailInMessage, actor: StaffUser) -> None:
    _waiting(row)
    _done(row, actor, MailInReview.DISMISSED)
