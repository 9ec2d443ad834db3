"""Element outcomes and upheld elements by theme, by the stage's response date.

DOMAIN.md, "Elements and outcomes": each element of a stage gets one outcome when the stage
responds. "The reporting period": outcomes count by the stage's response date within the
period; an element's theme is its own, else its stage's, else "Not recorded". REPORT.md:
``element_outcomes`` always lists all five outcomes; ``upheld_elements_by_theme`` (Stages 1
and 2) counts ``upheld`` only (not partially upheld), by the element's theme, else the
stage's, else the record's, else "Not recorded". An element with no outcome is not counted.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Element, Feedback, Stage
from portal.services.common.labels import ElementOutcome
from portal.services.reports.counting import by_name, name_of
from portal.services.reports.period import Period


def element_outcomes(period: Period, themes: dict[int, str]) -> dict:
    """The report's ``element_outcomes`` and ``upheld_elements_by_theme``."""
    theme = func.coalesce(Element.theme_id, Stage.theme_id, Feedback.theme_id)
    rows = db.session.execute(
        select(Stage.number, Element.outcome, theme, func.count())
        .join(Stage, Element.stage_id == Stage.id)
        .join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Stage.responded_on.between(period.start, period.end))
        .group_by(Stage.number, Element.outcome, theme)
    ).tuples()
    outcomes = {number: dict.fromkeys(ElementOutcome.codes(), 0) for number in (1, 2, 3)}
    upheld = {1: Counter(), 2: Counter()}
    for number, outcome, theme_id, count in rows:
        if number not in outcomes or outcome not in ElementOutcome:
            continue
        outcomes[number][outcome] += count
        if outcome == "upheld" and number in upheld:
            upheld[number][name_of(themes, theme_id)] += count
    return {
        "element_outcomes": {f"stage{n}": outcomes[n] for n in (1, 2, 3)},
        "upheld_elements_by_theme": {f"stage{n}": by_name(upheld[n]) for n in (1, 2)},
    }
