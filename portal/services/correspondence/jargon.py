"""The jargon list the check before sending reads (readability.jargon_in): a feedback
manager adds a term with plainer words, or takes one off."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import JargonTerm, StaffUser
from portal.services.common import audit
from portal.services.common.errors import Refused


def add_term(term: str, plainer: str, actor: StaffUser) -> JargonTerm:
    term, plainer = " ".join((term or "").split()), " ".join((plainer or "").split())
    if not term:
        raise Refused("Enter the word or abbreviation", "term")
    if not plainer:
        raise Refused("Enter the plainer words", "plainer")
    if db.session.scalar(select(JargonTerm.id).where(func.lower(JargonTerm.term) == term.lower())):
        raise Refused(f"\u2018{term}\u2019 is already on the list", "term")
    row = JargonTerm(term=term, plainer=plainer)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "jargon_term_added", "jargon_term", row.id, new={"term": term, "plainer": plainer})
    return row


def remove_term(row: JargonTerm, actor: StaffUser) -> None:
    audit.record(actor, "jargon_term_removed", "jargon_term", row.id, old={"term": row.term})
    db.session.delete(row)
