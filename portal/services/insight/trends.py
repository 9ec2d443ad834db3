"""Themes over time (issue 22): each theme's feedback this period against the same dates
a year earlier, rising or falling, and the words that mark its records this period.

Counted by the record's own theme ("Not recorded" where none), over initial contacts and
complaints received in each period. A theme's marking words are those that appear in more
of its records than of the period's other records, as a smoothed ratio of the two shares
(a word in at least two of its records); purged records have no text left to count.
Words are read with scikit-learn's own English stop-word list (shipped with it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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
    rows = db.session.execute(
        select(Theme.name, func.count(Feedback.id)).select_from(Feedback)
        .outerjoin(Theme, Feedback.theme_id == Theme.id)
        .where(Feedback.kind.in_(KINDS), Feedback.received_on.between(period.start, period.end))
        .group_by(Theme.name))
    return Counter({name or NOT_RECORDED: count for name, count in rows})


def marking_words(period: Period, limit: int = WORDS) -> dict[str, tuple[str, ...]]:
    """For each theme with records this period, the words that most mark them out."""
    rows = db.session.execute(
        select(Theme.name, Feedback.summary, Feedback.desired_outcome).select_from(Feedback)
        .join(Theme, Feedback.theme_id == Theme.id)
        .where(Feedback.kind.in_(KINDS), Feedback.received_on.between(period.start, period.end),
               Feedback.purged_at.is_(None))).all()
    texts = [text_of(summary, desired) for _, summary, desired in rows]
    if len({name for name, _, _ in rows}) < 2 or not any(t.strip() for t in texts):
        return {}
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS  # slow to import: only when used

    # Which records hold each word, as CountVectorizer(binary=True, stop_words="english")
    # counts them (lowercased, WORD's tokens, the stop words left out), counted here a theme
    # at a time: the vectorizer's matrix of every record took three times as long.
    holding: dict[str, Counter] = {}
    for (theme, _, _), text in zip(rows, texts):
        holding.setdefault(theme, Counter()).update(set(WORD.findall(text.lower())) - ENGLISH_STOP_WORDS)
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


def theme_trends(period: Period) -> list[ThemeTrend]:
    """Every theme with feedback in either period, the largest rise first, then the largest fall."""
    now, before = _counts(period), _counts(period.previous())
    words = marking_words(period)
    trends = [ThemeTrend(theme, now[theme], before[theme], words.get(theme, ()))
              for theme in set(now) | set(before)]
    return sorted(trends, key=lambda t: (-t.change, t.theme))
