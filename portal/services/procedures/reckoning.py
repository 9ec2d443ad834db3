"""The organisation's calendar and timescales, read once for a piece of work.

``calendars.current_calendar()`` and ``timescales.current_timescales()`` read their
tables each time they are asked (one or two small queries each), so that a change an
administrator makes counts at once. Some work asks many times and changes neither: an
action on many records (triage.bulk: 200 records assigned took 600 such queries) or the
case page, whose panels read them in eleven statements a view (issue 23). Within
``one_reckoning`` each is read the first time it is asked and that answer given after. A
change to either made within it (a timescale stored or a set added, a non-working day
added or removed) calls ``forget``, so the next ask reads the tables again.

A reckoning is a holding of ``common.held``: what else is read once for the same work
(the staff who can be given work, a case's letters) is held with it.
"""

from __future__ import annotations

from portal.services.common.held import forget, holding, once

__all__ = ["forget", "once", "one_reckoning"]

one_reckoning = holding
