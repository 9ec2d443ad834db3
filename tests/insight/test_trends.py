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

    found = theme_trends(Period(date(2034, 4, 1), date(2034, 6, 30)))
    trends = found.rows
    assert [(t.theme, t.now, t.before, t.direction, t.change) for t in trends] == [
        ("Transport", 3, 1, "Rising", 2),
        ("Not recorded", 1, 0, "Rising", 1),
        ("Finance", 1, 3, "Falling", -2),
    ]
    # "taxi" is in all three Transport records and no other; every other word is in one.
    assert trends[0].words == ("taxi",)
    assert trends[2].words == ()
    # Four records with a theme this period, every one of them read.
    assert (found.words.texts_read, found.words.themed, found.words.sampled) == (4, 4, False)


def test_a_large_period_has_its_words_read_from_an_even_share_and_every_record_counted(app):
    """24 records with a theme, at most 6 texts read: every 4th record by number. Made
    Transport, Transport, Finance over and over, any 24 numbers in a row hold six multiples
    of 4, and as 4 is one more than 3, those six fall on each place of the pattern twice:
    four Transport texts and two Finance ones, each theme's word in every text read (and
every other word in one record only)."""
    transport, finance = _theme("Transport"), _theme("Finance")
    once = iter("apple brick cloud daisy ember frost grape heron ivory jelly koala lemon "
                "mango nylon olive pearl quilt raven sugar tulip umber viola walnut yarrow".split())
    for n in range(8):
        for theme, text in ((transport, "taxi"), (transport, "taxi"), (finance, "allowance")):
            factories.initial_contact(summary=f"{text} {next(once)}", theme_id=theme,
                                      received_on=date(2034, 5, 1 + n))

    found = theme_trends(Period(date(2034, 4, 1), date(2034, 6, 30)), read_at_most=6)
    assert [(t.theme, t.now, t.words) for t in found.rows] == [
        ("Transport", 16, ("taxi",)), ("Finance", 8, ("allowance",))]
    assert (found.words.texts_read, found.words.themed, found.words.sampled) == (6, 24, True)


def test_a_share_of_a_large_period_finds_the_words_every_text_would():
    """Ten themes of 300 to 20,000 records, each with words of its own in 40%, 20% and 8%
    of its records among twenty words every theme uses; every third record by number (a
    share of some 21,000 of 64,000) gives each theme the same three marking words as every
    record does, but for the smallest theme (some 100 records in the share), whose rarest
    word may fall behind: what a theme's words rest on is how many of its records the
    share holds, which READ_AT_MOST is chosen for."""
    import random

    from portal.services.insight.trends import _scored

    chance = random.Random(7)
    common = ("school meeting letter review visit plan report contact carer worker social delay "
              "late placement respite allowance assessment transport taxi needs").split()
    sizes = dict(zip("abcdefghij", (300, 800, 2000, 3000, 5000, 7000, 9000, 11000, 13000, 20000)))
    rows = []
    for letter, size in sizes.items():
        for _ in range(size):
            words = chance.sample(common, 6) + [f"own{letter}{n}" for n, share in zip("xyz", (0.4, 0.2, 0.08))
                                                if chance.random() < share]
            rows.append((f"Theme {letter}", " ".join(words), None))
    chance.shuffle(rows)  # records of every theme arrive mixed, numbered as they come

    every, share = _scored(rows, 3), _scored(rows[::3], 3)
    for letter in sizes:
        own = tuple(f"own{letter}{n}" for n in "xyz")
        assert every[f"Theme {letter}"] == own
        if letter == "a":
            assert share[f"Theme {letter}"][:2] == own[:2]
        else:
            assert share[f"Theme {letter}"] == own, letter
