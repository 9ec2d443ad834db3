"""Reads held for one piece of work.

Some things are read from small tables each time they are asked, so that a change counts
at once: the calendar and the timescales (``procedures.reckoning``), the staff who can be
given work (``accounts.staff_accounts.ready_staff``), a case's letters and emails in. Some
work asks for them many times and changes none of them: the case page, whose panels ask
for the same rows (issue 23), or an action on many records. Within ``holding`` each is
read the first time it is asked and that answer given after; ``forget`` (called after a
change to what is held) has the next ask read again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

# What has been read within the present piece of work, by key; None outside one.
_held: ContextVar[dict | None] = ContextVar("held_reads", default=None)


@contextmanager
def holding() -> Iterator[None]:
    """Within it, what is asked through ``once`` is read once (a holding within another
    is the same one)."""
    if _held.get() is not None:
        yield
        return
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def once(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or within a holding what it gave the first time ``key`` was asked."""
    held = _held.get()
    if held is None:
        return read()
    if key not in held:
        held[key] = read()
    return held[key]


def forget() -> None:
    """After a change to something held: read everything again when next asked."""
    held = _held.get()
    if held is not None:
        held.clear()
