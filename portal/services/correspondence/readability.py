"""How easy a letter is to read: a reading age, the longest sentences, and jargon.

Issue 18, 4: a reading-age score against a target from settings (``LETTER_READING_AGE``),
a lower target when the person is a child or young person (``LETTER_READING_AGE_YOUNG``),
with the longest sentences highlighted; and words from the jargon list with plainer
words. Both warn; neither blocks sending.

The reading age is textstat's Flesch-Kincaid grade (a US school grade) plus 5, the age
at which a child is in that grade, rounded to the nearest year. Lines that are only a
heading, a date, a name or a field (fewer than four words, no full stop) are left out, as
they are not sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import textstat
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, JargonTerm

LONGEST_SHOWN = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'\u2018\u201c(])")


def sentences(text: str) -> list[str]:
    """The sentences of ``text``: each paragraph split after . ! or ?, short lines without
    a full stop (headings, the date, the signature) left out."""
    found = []
    for paragraph in re.split(r"\n\s*\n|\n(?=\d+\.\s|- )", text or ""):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if not re.search(r"[.!?]", paragraph) and len(paragraph.split()) < 4:
            continue
        found.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip())
    return found


def reading_age(text: str) -> int | None:
    """The age at which a reader can usually read ``text`` (None for no sentences)."""
    body = sentences(text)
    if not body:
        return None
    grade = textstat.flesch_kincaid_grade(" ".join(body))
    return max(5, round(grade + 5))


def longest_sentences(text: str, count: int = LONGEST_SHOWN) -> list[str]:
    """The ``count`` longest sentences by words, longest first (ties in reading order)."""
    ranked = sorted(enumerate(sentences(text)), key=lambda item: (-len(item[1].split()), item[0]))
    return [sentence for _, sentence in ranked[:count]]


def is_young_person(record: Feedback | None) -> bool:
    """A child or young person: under 18, writing for themselves, or through the young person's form."""
    if record is None:
        return False
    return bool(record.young_persons_form or record.submitter_role == "child_or_young_person"
                or (record.submitter_age is not None and record.submitter_age < 18))


@dataclass(frozen=True)
class Jargon:
    term: str
    plainer: str


def jargon_list() -> list[JargonTerm]:
    return list(db.session.scalars(select(JargonTerm).order_by(JargonTerm.term)))


def _pattern(term: str) -> re.Pattern:
    # An abbreviation (capitals, or with a full stop: LAC, s.17) matches as written; a
    # phrase in any case.
    flags = 0 if (term.upper() == term or "." in term) else re.IGNORECASE
    return re.compile(r"(?<![\w.])" + re.escape(term) + r"(?![\w])", flags)


def jargon_in(text: str, terms: list[JargonTerm] | None = None) -> list[Jargon]:
    """Each term of the jargon list in ``text``, once, in the order of the list, unless
    the text already says it in the plainer words."""
    found = []
    for term in jargon_list() if terms is None else terms:
        if _pattern(term.term).search(text or "") and term.plainer.casefold() not in (text or "").casefold():
            found.append(Jargon(term.term, term.plainer))
    return found
