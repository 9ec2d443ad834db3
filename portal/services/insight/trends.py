"""Themes over time (issue 22): each theme's feedback this period against the same dates
a year earlier, rising or falling, and the words that mark its records this period.

Counted by the record's own theme ("Not recorded" where none), over initial contacts and
complaints received in each period. A theme's marking words are those that appear in more
of its records than of the period's other records, as a smoothed ratio of the two shares
(a word in at least two of its records); purged records have no text left to count.
Words are read with scikit-learn's own English stop-word list (shipped with it).

A period of more than READ_AT_MOST records with a theme has its words read from an even
share of them (the records whose number is a multiple of the share's step), so that a
year of a million records is read in a second or less and not in half a minute; the counts
are always of every record, and the page says how many texts the words came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import chain

import numpy as np
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback, Theme
from portal.services.insight.model import text_of
from portal.services.reports.period import Period

NOT_RECORDED = "Not recorded"
KINDS = ("initial_contact", "complaint")
WORDS = 5
WORD = re.compile(r"(?u)\b[^\W\d_]{3,}\b")  # a word of three letters or more
# Enough texts for each theme's marking words to settle: in tests/insight/test_trends.py's
# trial a theme with a few hundred records in the share has the words reading every
# record gives (with a hundred, its first two). Few enough to read in well under a second.
READ_AT_MOST = 10_000


@dataclass(frozen=True)
class MarkingWords:
    """Each theme's marking words, and how many of the period's texts they were read from."""
    by_theme: dict[str, tuple[str, ...]]
    texts_read: int
    themed: int  # the period's records with a theme, purged or not
    sampled: bool  # read from an even share of them, not from every one


@dataclass(frozen=True)
class ThemeTrends:
    """Every theme's trend, and the texts their words were read from."""
    rows: list["ThemeTrend"]
    words: MarkingWords


@dataclass(frozen=True)
class ThemeTrend:
    theme: str
    now: int
    before: int
    words: tuple[str, ...]

    @property
    def change(self) -> int:
        return self.now - self.before

    @property
    def direction(self) -> str:
        return "Rising" if self.change > 0 else "Falling" if self.change < 0 else "No change"


def _counts(period: Period) -> Counter:
    """Records by theme name, counted by theme number from the index of kind, date and
    theme alone (ix_feedback_kind_received_on_theme), with the few names looked up after."""
    rows = db.session.execute(
        select(Feedback.theme_id, func.count())
        .where(Feedback.kind.in_(KINDS), Feedback.received_on.between(period.start, period.end))
        .group_by(Feedback.theme_id)).all()
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(
        Theme.id.in_([theme for theme, _ in rows if theme is not None]))).all())
    counts = Counter()
    for theme, count in rows:
        counts[names.get(theme, NOT_RECORDED)] += count
    return counts


def marking_words(period: Period, limit: int = WORDS, *, themed: int | None = None,
                  read_at_most: int | None = None) -> MarkingWords:
    """For each theme with records this period, the words that most mark them out.

    ``themed`` is how many of the period's records have a theme (counted here if not
    given); above ``read_at_most`` the words are read from every step-th record by number,
    an even share across the period and its themes."""
    if themed is None:
        themed = sum(count for name, count in _counts(period).items() if name != NOT_RECORDED)
    step = max(1, math.ceil(themed / (read_at_most or READ_AT_MOST)))
    # The share's numbers first, from the index of kind, date and theme alone, and then only
    # their rows: PostgreSQL tests a condition the index cannot answer on the row, so the
    # share's test beside the dates read every row of the period (65 ms against 120 for a
    # half year of 1,000,000 records, a share of a quarter).
    share = select(Feedback.id).where(Feedback.kind.in_(KINDS),
                                      Feedback.received_on.between(period.start, period.end),
                                      Feedback.theme_id.is_not(None))
    if step > 1:
        share = share.where(Feedback.id % step == 0)
    rows = db.session.execute(
        select(Theme.name, Feedback.summary, Feedback.desired_outcome).select_from(Feedback)
        .join(Theme, Feedback.theme_id == Theme.id)
        .where(Feedback.id.in_(share), Feedback.purged_at.is_(None))).all()
    return MarkingWords(_scored(rows, limit), len(rows), themed, sampled=step > 1)


def _scored(rows, limit: int) -> dict[str, tuple[str, ...]]:
    """(theme, summary, desired outcome) rows: each theme's ``limit`` marking words."""
    texts = [text_of(summary, desired) for _, summary, desired in rows]
    if len({name for name, _, _ in rows}) < 2 or not any(t.strip() for t in texts):
        return {}
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # slow to import: only when used

    # Which records hold each word, as CountVectorizer(binary=True, stop_words="english")
    # counts them (lowercased, WORD's tokens, the stop words left out), counted here a theme
    # at a time: the vectorizer's matrix of every record took three times as long.
    words_of: dict[str, list[set[str]]] = {}
    for (theme, _, _), text in zip(rows, texts):
        words_of.setdefault(theme, []).append(set(WORD.findall(text.lower())))
    holding: dict[str, Counter] = {}
    for theme, records in words_of.items():  # one count a theme, the stop words taken out after
        holding[theme] = Counter(chain.from_iterable(records))
        for word in ENGLISH_STOP_WORDS.intersection(holding[theme]):
            del holding[theme][word]
    names = np.array(sorted(set().union(*holding.values())))
    if not len(names):  # nothing but stop words
        return {}
    column = {name: index for index, name in enumerate(names.tolist())}
    themes = sorted(holding)
    by_theme = np.zeros((len(themes), len(names)))
    for index, theme in enumerate(themes):
        by_theme[index, [column[name] for name in holding[theme]]] = list(holding[theme].values())
    everywhere = by_theme.sum(axis=0)
    records = Counter(name for name, _, _ in rows)
    out = {}
    for index, theme in enumerate(themes):
        in_theme = by_theme[index]
        elsewhere = everywhere - in_theme
        share = (in_theme + 0.5) / (records[theme] + 1)
        other = (elsewhere + 0.5) / (len(rows) - records[theme] + 1)
        score = np.where(in_theme >= 2, np.log(share / other), -np.inf)
        order = [i for i in np.lexsort((names, -score)) if np.isfinite(score[i]) and score[i] > 0][:limit]
        out[str(theme)] = tuple(str(names[i]) for i in order)
    return out


def theme_trends(period: Period, *, read_at_most: int | None = None) -> ThemeTrends:
    """Every theme with feedback in either period, the largest rise first, then the largest
    fall, with the texts their words were read from."""
    now, before = _counts(period), _counts(period.previous())
    themed = sum(count for name, count in now.items() if name != NOT_RECORDED)
    words = marking_words(period, themed=themed, read_at_most=read_at_most)
    trends = [ThemeTrend(theme, now[theme], before[theme], words.by_theme.get(theme, ()))
              for theme in set(now) | set(before)]
    return ThemeTrends(sorted(trends, key=lambda t: (-t.change, t.theme)), words)
