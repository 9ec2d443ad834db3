"""Similar past cases: the earlier records most like this one that the viewer may open.

Issue 22, "Similar past cases". The index (``index``) gives the nearest records by their
words; the database then keeps only those received on or before this one, not purged
(purged since the index was built included), and, for a member of staff, only those their
role lets them open (``permissions.visible_feedback``). Each comes with its outcome, the
remedies paid and the learning actions raised. ``payment_note`` says when a remedy is far
outside what similar upheld cases were paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Feedback, Stage
from portal.services.accounts import permissions
from portal.services.common.labels import ElementOutcome, InitialContactOutcome
from portal.services.insight import store
from portal.services.insight.index import CANDIDATES
from portal.services.insight.model import text_of

LIMIT = 5
UPHELD = ("upheld", "partially_upheld")
MOST_CANDIDATES = 10_000  # looked through at most, for a viewer who may open few records
FAR_OUTSIDE = 2  # a remedy more than twice the highest, or under half the lowest, similar upheld one


@dataclass(frozen=True)
class SimilarCase:
    reference: str
    received_on: date
    similarity: float
    outcome: str
    upheld: bool
    remedy_paid: Decimal
    actions: tuple[str, ...]
    record: Feedback


def outcome_of(record: Feedback) -> tuple[str, bool]:
    """In words: the last stage's element outcomes, else the initial contact's outcome;
    and whether any element of it was upheld in whole or in part."""
    if record.stages:
        last = record.stages[-1]
        outcomes = [e.outcome for e in last.elements if e.outcome]
        if outcomes:
            words = ", ".join(sorted({ElementOutcome.words_of(o) for o in outcomes}))
            return f"Stage {last.number}: {words.lower()}", any(o in UPHELD for o in outcomes)
        return f"Stage {last.number}: {'responded' if last.responded_on else 'not yet responded'}", False
    return InitialContactOutcome.words_of(record.outcome, "Open"), False


def remedy_paid(record: Feedback) -> Decimal:
    return sum((Decimal(p.amount_pence) / 100 for p in record.payments if p.kind == "financial_remedy"),
               Decimal("0.00"))


def similar_cases(record: Feedback | None, folder: str, viewer=None, limit: int = LIMIT,
                  text: str | None = None) -> list[SimilarCase]:
    """The ``limit`` earlier records most like ``record`` (or like ``text``), most similar first.
    ``viewer`` None means every record (the command line); otherwise only those they may open."""
    model = store.load(folder)
    if model is None:
        return []
    wanted = text if text is not None else text_of(record.summary, record.desired_outcome)
    index = model["similar"]
    candidates = CANDIDATES
    while True:
        # The nearest first; more of them when the viewer may open few of those.
        found = dict(index.nearest(wanted, candidates))
        if record is not None:
            found.pop(record.id, None)
        rows = _shown(found, record, viewer)[:limit]
        if len(rows) >= limit or candidates >= min(len(index), MOST_CANDIDATES):
            break
        candidates *= 10
    rows = rows[:limit]
    out = []
    for row in rows:
        outcome, upheld = outcome_of(row)
        out.append(SimilarCase(row.reference, row.received_on, found[row.id], outcome, upheld,
                               remedy_paid(row), tuple(a.recommendation for a in row.learning_actions), row))
    return out


def _shown(found: dict[int, float], record: Feedback | None, viewer) -> list[Feedback]:
    if not found:
        return []
    query = (select(Feedback).where(Feedback.id.in_(found), Feedback.purged_at.is_(None))
             .options(selectinload(Feedback.stages).selectinload(Stage.elements),
                      selectinload(Feedback.payments), selectinload(Feedback.learning_actions)))
    if record is not None:
        query = query.where(Feedback.received_on <= record.received_on)
    if viewer is not None:
        query = query.where(permissions.visible_feedback(viewer))
    return sorted(db.session.scalars(query), key=lambda r: (-found[r.id], r.reference))


def payment_note(amount: Decimal, similar: list[SimilarCase]) -> str | None:
    """A note when ``amount`` is far outside the remedies paid in similar upheld cases."""
    paid = [case.remedy_paid for case in similar if case.upheld and case.remedy_paid > 0]
    if not paid or amount <= 0:
        return None
    low, high = min(paid), max(paid)
    if amount > high * FAR_OUTSIDE or amount * FAR_OUTSIDE < low:
        return (f"£{amount:,.2f} is far outside what similar upheld cases were paid "
                f"(£{low:,.2f} to £{high:,.2f}, {len(paid)} case{'s' if len(paid) != 1 else ''}).")
    return None
