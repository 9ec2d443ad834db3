"""What every section of the report shares: quarter buckets, name maps and rounding.

DOMAIN.md, "The reporting period": percentages and averages are computed exactly from
counts and rounded half up (``Decimal`` with ``ROUND_HALF_UP``, never ``round()``); money is
held in pence and written with two decimals. REPORT.md: every ``by_quarter`` list is aligned
with ``quarters`` and sums to its ``total``; maps keyed by a name list only non-zero counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer, case, literal_column, select, text
from sqlalchemy.sql.elements import ColumnElement

from portal.extensions import db
from portal.models import Team, Theme
from portal.services.reports.period import Quarter

NOT_RECORDED = "Not recorded"


def quarter_index(column, quarters: list[Quarter]) -> ColumnElement[int]:
    """A SQL expression giving the index in ``quarters`` of a date already known to lie in
    the period, so that one GROUP BY counts every quarter at once on any database."""
    # The indexes are written into the SQL, not bound, so that the expression in the select
    # list and in the GROUP BY is the same on PostgreSQL; it stays a CASE even for a single
    # quarter, as a bare integer in a GROUP BY would mean a column position.
    index = [literal_column(str(i), Integer) for i in range(len(quarters))]
    whens = [(column <= q.end, index[i]) for i, q in enumerate(quarters[:-1])]
    return case(*(whens or [(column.is_(None), index[0])]), else_=index[-1])


class ByQuarter:
    """Counts for each quarter of the period; ``as_json`` is REPORT.md's ``byq`` object."""

    def __init__(self, quarters: int):
        self.counts = [0] * quarters

    def add(self, index: int, count: int) -> None:
        self.counts[index] += count

    @property
    def total(self) -> int:
        return sum(self.counts)

    def as_json(self) -> dict:
        return {"by_quarter": list(self.counts), "total": self.total}


def by_name(counts: Mapping[str, int], order: Iterable[str] | None = None) -> dict[str, int]:
    """A name map with only the non-zero counts (REPORT.md).

    With ``order`` (a fixed vocabulary such as the submitter roles) names keep that order and
    any others follow by name; otherwise the largest count comes first, then by name, as the
    report's tables are read.
    """
    present = {name: n for name, n in counts.items() if n}
    if order is not None:
        rank = {name: i for i, name in enumerate(order)}
        keys = sorted(present, key=lambda name: (rank.get(name, len(rank)), name))
    else:
        keys = sorted(present, key=lambda name: (-present[name], name))
    return {name: present[name] for name in keys}


def with_parallel_workers() -> None:
    """Let PostgreSQL use its parallel workers for the rest of this transaction: a report
    counts a period's rows in a few large queries, which workers make about three times
    faster (a half year at 1,000,000 records: 0.34 s with them, 1.02 s without), where the
    portal's other queries are small and connections start without them (extensions.py)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL max_parallel_workers_per_gather TO DEFAULT"))


def reference_names() -> tuple[dict[int, str], dict[int, str]]:
    """Team and theme names by id (two small tables)."""
    teams = dict(db.session.execute(select(Team.id, Team.name)).tuples().all())
    themes = dict(db.session.execute(select(Theme.id, Theme.name)).tuples().all())
    return teams, themes


def name_of(names: Mapping[int, str], key: int | None) -> str:
    """A team's or theme's name; "Not recorded" where there is none (DOMAIN.md)."""
    if key is None:
        return NOT_RECORDED
    return names.get(key, NOT_RECORDED)


def tally(rows: Iterable[tuple[str, int]]) -> Counter:
    counter: Counter = Counter()
    for name, count in rows:
        counter[name] += count
    return counter


def half_up(value: Decimal, places: int) -> Decimal:
    """Round half up to ``places`` decimals (DOMAIN.md: never Python's ``round()``)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percentage(part: int, whole: int, places: int = 0) -> Decimal | None:
    """``part`` of ``whole`` as a percentage rounded half up: whole numbers in general, one
    decimal place for the teams table (DOMAIN.md). 78 of 105 is 74. None when ``whole`` is 0."""
    if not whole:
        return None
    return half_up(Decimal(part) * 100 / Decimal(whole), places)


def average(values: list[int], places: int = 1) -> Decimal | None:
    """The mean, rounded half up (one decimal place for average working days); None when
    there are no values."""
    if not values:
        return None
    return half_up(Decimal(sum(values)) / Decimal(len(values)), places)


def money(pence: int | None) -> str:
    """Pence as pounds with two decimals, the interchange's money string: 322400 -> "3224.00"."""
    pence = pence or 0
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}"
