"""Saved filters: lists of the inbox a member of staff comes back to, under their own names.

Everyone starts with two ready-made ones (``READY_MADE``); each person adds their own,
kept for them alone. A filter is the inbox's query string, so it is whatever the inbox's
filters can say, and ``assigned=me`` is whoever opens it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import select

from portal.extensions import db
from portal.models import SavedFilter, StaffUser
from portal.services.common.errors import Refused

# (name, query) that every member of staff who sees the inbox is offered.
READY_MADE = (
    ("My open Stage 1s", "assigned=me&kind=complaint&stage=1&status=open&sort=due"),
    ("Due this week", "due_week=1&sort=due"),
)
# What a filter keeps: the inbox's filters, never its page position.
KEPT = ("q", "kind", "status", "team", "theme", "assigned", "channel", "sort", "from", "to", "formal",
        "overdue", "safeguarding", "stage", "due_week")
MOST = 30
NAME_LONGEST = 80


def kept_query(pairs) -> str:
    """The query string a filter keeps: the inbox's own filters that have a value, in the
    order KEPT lists them."""
    values = {name: value for name, value in pairs if name in KEPT and value}
    return urlencode([(name, values[name]) for name in KEPT if name in values])


def filters_of(owner: StaffUser) -> list[SavedFilter]:
    return list(db.session.scalars(
        select(SavedFilter).where(SavedFilter.owner_id == owner.id).order_by(SavedFilter.name)))


def save(owner: StaffUser, name: str, query: str) -> SavedFilter:
    """Keep the inbox's present filters under ``name``; a name the person already uses
    (or a ready-made one's) is refused, so that no saved list is silently replaced."""
    name = " ".join((name or "").split())
    if not name:
        raise Refused("Enter a name for this list", "name")
    if len(name) > NAME_LONGEST:
        raise Refused(f"The name must be {NAME_LONGEST} characters or fewer", "name")
    query = kept_query(parse_qsl(query or ""))
    if not query:
        raise Refused("Choose some filters before saving the list", "name")
    mine = filters_of(owner)
    taken = {f.name.casefold() for f in mine} | {n.casefold() for n, _ in READY_MADE}
    if name.casefold() in taken:
        raise Refused("You already have a list with this name", "name")
    if len(mine) >= MOST:
        raise Refused(f"You can save up to {MOST} lists. Delete one you no longer use first", "name")
    saved = SavedFilter(owner_id=owner.id, name=name, query=query)
    db.session.add(saved)
    return saved


def delete(owner: StaffUser, filter_id: int | None) -> str:
    """Delete one of the person's own saved filters; the name it had."""
    saved = db.session.get(SavedFilter, filter_id) if filter_id else None
    if saved is None or saved.owner_id != owner.id:
        raise Refused("That list is not one of yours", "filter")
    db.session.delete(saved)
    return saved.name
