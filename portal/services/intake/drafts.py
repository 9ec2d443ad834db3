"""Drafts: a public form's answers kept on the server between its pages, and the files
chosen on them (``uploads``), which go with the draft."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import Draft
from portal.services.common.dates import now_utc
from portal.services.intake import uploads

# A draft nobody has touched for this long is of no use to anyone.
KEEP_FOR = timedelta(days=2)


def save(key: str | None, form: str, answers: dict) -> str:
    """Store answers under ``key`` (a new random key if None); return the key."""
    draft = _current(key, form)
    draft.answers = answers
    draft.updated_at = now_utc()
    return draft.key


def hold(key: str | None, form: str) -> str:
    """The draft files are being added to, made now (with no answers yet) if there is none,
    and its time to expire started again; return its key."""
    draft = _current(key, form)
    draft.updated_at = now_utc()
    return draft.key


def _current(key: str | None, form: str) -> Draft:
    """The draft under ``key``, or a new one in place of one missing, for another form, or
    expired (whose answers ``load`` no longer gives: nor may its files come back)."""
    draft = db.session.get(Draft, key) if key else None
    if draft is not None and draft.form == form and draft.updated_at >= now_utc() - KEEP_FOR:
        return draft
    if draft is not None and draft.form == form:
        discard(key)
    draft = Draft(key=secrets.token_urlsafe(32), form=form, answers={})
    db.session.add(draft)
    return draft


def load(key: str | None, form: str) -> dict | None:
    if not key:
        return None
    draft = db.session.get(Draft, key)
    if draft is None or draft.form != form or draft.updated_at < now_utc() - KEEP_FOR:
        return None
    return dict(draft.answers)


def take(key: str, form: str) -> dict | None:
    """Remove the draft and return its answers, in the caller's transaction.

    Deleting first makes taking a draft a claim: of two requests sending the same
    answers at once, only one gets them, so a double click never sends twice. The delete
    returns the answers, so the draft is read and claimed in one statement (a draft
    current as ``load`` means it: this form's, not expired).
    """
    if not key:
        return None
    taken = db.session.execute(
        delete(Draft).where(Draft.key == key, Draft.form == form, Draft.updated_at >= now_utc() - KEEP_FOR)
        .returning(Draft.answers)).first()
    if taken is None:
        return None
    return dict(taken.answers)


def discard(key: str | None) -> None:
    """Forget the draft, and the files chosen on it."""
    if key:
        db.session.execute(delete(Draft).where(Draft.key == key))
        uploads.forget([key])


def stale_keys() -> list[str]:
    return list(db.session.scalars(select(Draft.key).where(Draft.updated_at < now_utc() - KEEP_FOR)))


def purge_stale() -> int:
    """Forget every draft nobody has touched for KEEP_FOR, with its files."""
    stale = stale_keys()
    for start in range(0, len(stale), 500):
        db.session.execute(delete(Draft).where(Draft.key.in_(stale[start:start + 500])))
    uploads.forget(stale)
    return len(stale)
