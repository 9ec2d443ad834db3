"""Themes over time: against the same dates a year earlier, and the words that mark a
theme this period (issue 22, "Themes over time")."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.models import Theme
from portal.extensions import db
from portal.services.insight.trends import theme_trends
from portal.services.reports.period import Period
from tests import factories


def _theme(name: str) -> int:
    return db.session.scalar(select(Theme.id).where(Theme.name == name))


def test_themes_rising_and_falling_with_their_words(app):
    transport, finance = _theme("Transport"), _theme("Finance")
    for text in ("The taxi was late", "No taxi came today", "Our taxi driver left early"):
        factories.initial_contact(summary=text, theme_id=transport, received_on=date(2034, 5, 2))
    factories.initial_contact(summary="The allowance is wrong", theme_id=finance, received_on=date(2034, 6, 30))
    factories.initial_contact(summary="Something else", received_on=date(2034, 4, 1))
    factories.initial_contact(summary="A bus", theme_id=transport, received_on=date(2033, 4, 1))
    for day in (1, 2, 3):
        factories.initial_contact(summary="Paid late", theme_id=finance, received_on=date(2033, 6, day))
    factories.initial_contact(summary="Outside both", theme_id=finance, received_on=date(2034, 7, 1))
    factories.compliment(summary="Thank you", theme_id=transport, received_on=date(2034, 5, 2))

    trends = theme_trends(Period(date(2034, 4, 1), date(2034, 6, 30)))
    assert [(t.theme, t.now, t.before, t.direction, t.change) for t in trends] == [
        ("Transport", 3, 1, "Rising", 2),
        ("Not recorded", 1, 0, "Rising", 1),
        ("Finance", 1, 3, "Falling", -2),
    ]
    # "taxi" is in all three Transport records and no other; every other word is in one.
    assert trends[0].words == ("taxi",)
    assert trends[2].words == ()
