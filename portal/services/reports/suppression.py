"""Small numbers kept out of a published report, so that no complainant or child can be
told from it (the statutory children's procedure's annual report, regulation 13 of the
Children Act 1989 Representations Procedure (England) Regulations 2006).

A count from 1 to the threshold less one is shown as "fewer than N" (the threshold is the
setting ``SMALL_NUMBER_THRESHOLD``, 5 unless changed); none is shown as 0, which tells
nobody anything. Hiding one cell is not enough where the table gives its total, as the
hidden number is then the total less the others: so where only one cell of a column with a
total is hidden, the next smallest non-zero one is hidden too. A part of a whole ("answered
in time" of "answered") is hidden when either it or the rest is small.

A number hidden only so that a small one cannot be worked out is not small itself: it is shown
as "withheld", never as "fewer than N", which would say something untrue (11 points upheld
printed as "fewer than 5" beside a total that adds up to no such thing).
"""

from __future__ import annotations

HIDDEN = "fewer than {threshold}"
# A number that is not small, hidden so that a small one cannot be worked out from it.
WITHHELD = "withheld"


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def shown(count: int, threshold: int) -> str:
    """One count as a published report may show it."""
    return HIDDEN.format(threshold=threshold) if is_small(count, threshold) else f"{count:,}"


def column(counts: list[int], threshold: int) -> tuple[list[str], str]:
    """A column of counts and its total, as shown: small counts hidden, and one more where
    a single hidden count could be worked out from the total."""
    total = sum(counts)
    hidden = {i for i, count in enumerate(counts) if is_small(count, threshold)}
    if len(hidden) == 1 and not is_small(total, threshold):
        others = [(count, i) for i, count in enumerate(counts) if i not in hidden and count > 0]
        if others:
            hidden.add(min(others)[1])
    cells = [(shown(count, threshold) if is_small(count, threshold) else WITHHELD) if i in hidden
             else f"{count:,}" for i, count in enumerate(counts)]
    return cells, shown(total, threshold)


def part_of(part: int, whole: int, threshold: int) -> str:
    """A part of a whole (those answered in time, of those answered): hidden when the part
    or the rest is small, as either could be worked out from the other."""
    if is_small(part, threshold):
        return HIDDEN.format(threshold=threshold)
    if is_small(whole - part, threshold):
        return WITHHELD
    return f"{part:,}"
