"""The organisation's calendar and timescales, read once for a piece of work.

``calendars.current_calendar()`` and ``timescales.current_timescales()`` read their
tables each time they are asked (one or two small queries each), so that a change an
administrator makes counts at once. Some work asks many times and changes neither: an
action on many records (triage.bulk: 200 records assigned took 600 such queries) or the
case page, whose panels read them in eleven statements a view (issue 23). Within
``one_reckoning`` each is read the first time it is asked and that answer given after. A
change to either made within it (a timescale stored or a set added, a non-working day
added or removed) calls ``forget``, so the next ask reads the tables again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# What has been read within the present reckoning, by name; None outside one.
_held: ContextVar[dict | None] = ContextVar("held_reckoning", default=None)


@contextmanager
def one_reckoning() -> Iterator[None]:
    """Within it, the calendar and the timescales are read once (a reckoning within
    another is the same one)."""
    if _held.get() is not None:
        yield
        return
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def once(name: str, read: Callable[[], T]) -> T:
    """``read()``, or within a reckoning what it gave the first time it was asked."""
    held = _held.get()
    if held is None:
        return read()
    if name not in held:
        held[name] = read()
    return held[name]


def forget() -> None:
    """After a change to the calendar or the timescales: read them again when next asked."""
    held = _held.get()
    if held is not None:
        held.clear()
