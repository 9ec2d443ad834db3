"""The audit trail: who changed what and when, every sign-in, every download.

Two ways in, both in the caller's transaction, so an entry exists exactly when the
change it describes does:

- automatically: a session hook writes one entry per inserted, updated or deleted row
  of every model (except those marked ``__audited__ = False``), with old and new values;
- explicitly: ``record(actor, action, ...)`` for what is not a row change (sign-in,
  sign-out, export, report download, a password reset sent).

Bulk ``update()`` and ``delete()`` statements do not pass through the hook (the ORM
never sees the rows): a service that changes audited rows that way records the change
itself with ``record``. Entries are only ever added (see ``portal.models.audit``). Who
is acting comes from ``set_actor`` (the staff blueprint sets it for each request) or
``acting_as`` (the CLI).
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask import g, has_request_context, request
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import AuditEntry, Feedback, StaffUser
from portal.models._types import utcnow
from portal.services.common.dates import LONDON

# Columns that change on every write and say nothing a reader needs.
ALWAYS_EXCLUDED = {"updated_at", "version"}
REDACTED = "(changed)"
PUBLIC = "member of the public"
SYSTEM = "system"

_actor: contextvars.ContextVar[tuple[int | None, str] | None] = contextvars.ContextVar(
    "audit_actor", default=None
)


# --- Who is acting ---------------------------------------------------------------------


def _label_of(user: StaffUser) -> str:
    return f"{user.name} <{user.email}>"


def set_actor(user: StaffUser | None) -> None:
    """The member of staff behind this request's changes."""
    g.audit_actor = (user.id, _label_of(user)) if user is not None else None


@contextlib.contextmanager
def acting_as(label: str, user: StaffUser | None = None):
    """Attribute changes made inside the block (outside a request, e.g. a CLI command)."""
    token = _actor.set((user.id if user else None, _label_of(user) if user else label))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    if has_request_context():
        actor = g.get("audit_actor")
        if actor is not None:
            return actor
    actor = _actor.get()
    if actor is not None:
        return actor
    if has_request_context():
        return (None, PUBLIC if request.blueprint == "public" else "signed-out visitor")
    return (None, SYSTEM)


def _ip() -> str | None:
    return request.remote_addr if has_request_context() else None


# --- Writing entries -------------------------------------------------------------------


def record(
    actor: StaffUser | str | None,
    action: str,
    entity_type: str | None = None,
    entity_id: object = None,
    old: dict | None = None,
    new: dict | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction (not committed here).

    ``actor`` is a member of staff, a label (``"command line"``), or None for whoever
    is acting now."""
    if isinstance(actor, StaffUser):
        actor_id, label = actor.id, _label_of(actor)
    elif isinstance(actor, str):
        actor_id, label = None, actor
    else:
        actor_id, label = current_actor()
    entry = AuditEntry(
        actor_id=actor_id,
        actor_label=label[:254],
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        old=_jsonable_dict(old),
        new=_jsonable_dict(new),
        ip_address=_ip(),
    )
    db.session.add(entry)
    return entry


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def _jsonable_dict(values: dict | None) -> dict | None:
    return None if values is None else {str(k): _jsonable(v) for k, v in values.items()}


# --- The automatic hook ----------------------------------------------------------------


def _audited(obj) -> bool:
    return getattr(type(obj), "__audited__", True)


def _columns(obj):
    mapper = inspect(obj).mapper
    excluded = ALWAYS_EXCLUDED | getattr(type(obj), "__audit_exclude__", set())
    redacted = getattr(type(obj), "__audit_redact__", set())
    for attr in mapper.column_attrs:
        if attr.key not in excluded:
            yield attr.key, attr.key in redacted


def _entity_id(obj) -> str:
    identity = inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(part) for part in identity)


def _changes(obj, kind: str) -> tuple[dict | None, dict | None]:
    state = inspect(obj)
    old: dict = {}
    new: dict = {}
    # Only the attributes changed since loading have a history to read (a record has some
    # sixty columns; a bulk action changes two or three of each of hundreds of records).
    changed = state.committed_state
    for key, redact in _columns(obj):
        if kind == "update" and key not in changed:
            continue
        history = state.attrs[key].history
        if kind == "create":
            value = state.dict.get(key)
            if value is not None:
                new[key] = REDACTED if redact else _jsonable(value)
        elif kind == "delete":
            value = state.dict.get(key)
            if value is not None:
                old[key] = REDACTED if redact else _jsonable(value)
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
            old[key] = REDACTED if redact and before is not None else _jsonable(before)
            new[key] = REDACTED if redact and after is not None else _jsonable(after)
    return (old or None), (new or None)


def _after_flush(session: Session, flush_context) -> None:
    rows = []
    actor_id, label = current_actor()
    ip = _ip()
    for kind, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not _audited(obj):
                continue
            if kind == "update" and not session.is_modified(obj, include_collections=False):
                continue
            old, new = _changes(obj, kind)
            if kind == "update" and not (old or new):
                continue
            rows.append({
                "at": utcnow(),
                "actor_id": actor_id,
                "actor_label": label[:254],
                "action": kind,
                "entity_type": inspect(obj).mapper.local_table.name,
                "entity_id": _entity_id(obj),
                "old": old,
                "new": new,
                "ip_address": ip,
            })
    if rows:
        # Straight into the table on the flush's own connection: the entries commit or
        # roll back with the change, and adding ORM objects mid-flush is not allowed.
        session.connection().execute(AuditEntry.__table__.insert(), rows)


def install() -> None:
    """Listen to every flush of the app's sessions (once per process)."""
    target = db.session.session_factory.class_
    if not event.contains(target, "after_flush", _after_flush):
        event.listen(target, "after_flush", _after_flush)


# --- What a reader may see -------------------------------------------------------------

# The records administrators look after: an administrator sees their old and new values.
# Of every other record (cases, people, mail, ...) an administrator sees who did what to
# which record and when, and which fields changed, but not the values: those are personal
# or case content, which the role may not see (docs/permissions.md).
ADMINISTERED = frozenset({"staff_user", "team", "theme", "non_working_day", "timescale_setting",
                          "retention_rule"})
HIDDEN = "(hidden)"


def visible_values(entry: AuditEntry, viewer) -> tuple[dict | None, dict | None]:
    """The entry's old and new values as this reader may see them."""
    from portal.services.accounts.permissions import has_permission

    if has_permission(viewer, "view_all_cases") or entry.entity_type in ADMINISTERED:
        return entry.old, entry.new

    def hidden(values):
        return None if values is None else {key: HIDDEN for key in values}

    return hidden(entry.old), hidden(entry.new)


# --- Searching -------------------------------------------------------------------------


@dataclass
class SearchResult:
    entries: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def search(
    actor_id: int | None = None,
    entity_type: str | None = None,
    entity_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = 50,
) -> SearchResult:
    """Entries newest first, by person, record and dates (inclusive, London calendar
    dates). A feedback record may be given by its reference (CF-2026-00042)."""
    query = select(AuditEntry)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if entity_type:
        query = query.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        entity_id = _resolve_reference(entity_type, entity_id.strip())
        query = query.where(AuditEntry.entity_id == entity_id)
    if date_from is not None:
        query = query.where(AuditEntry.at >= _london_midnight(date_from))
    if date_to is not None:
        query = query.where(AuditEntry.at < _london_midnight(date_to + timedelta(days=1)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    entries = db.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return SearchResult(list(entries), total, page, per_page)


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _resolve_reference(entity_type: str | None, value: str) -> str:
    if entity_type in (None, "", "feedback") and not value.isdigit():
        found = db.session.scalar(select(Feedback.id).where(Feedback.reference == value.upper()))
        if found is not None:
            return str(found)
    return value


def entity_types() -> list[str]:
    """The kinds of record the trail holds, for the search form."""
    return sorted(
        name for name in db.session.scalars(select(AuditEntry.entity_type).distinct()) if name
    )
