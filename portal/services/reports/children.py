"""The report's section on children's complaints (issue 20): complaints by young people,
those with an advocate, the rates at which an advocate was offered and accepted, and the
complaints about a child by each of the child's circumstances.

Counted like ``complaints_from_young_people`` (complaints.py): Stage 1 complaints received
in the period, by the stage's clock start. DOMAIN.md, "The child and advocacy":
"Complaints by young people" are those whose submitter is a child, young person or care
leaver, or an advocate acting for one (an ``advocate_or_representative`` who wrote on a
child's behalf or about a child the case names).

- ``by_young_people``: those complaints;
- ``advocate_offered``, ``advocate_accepted``, ``advocate_in_place``: of those, the ones
  whose advocacy record says an advocate was offered, accepted, and in place (on or before
  the period's end);
- ``offered_rate`` = offered / by young people, ``accepted_rate`` = accepted / offered:
  whole percentages rounded half up (``counting.percentage``), None when there are none;
- ``about_a_child``: Stage 1 complaints received that name a child (whoever wrote);
- ``by_status``: of those, how many concern a child with each circumstance
  (``ChildStatus``, in its order; a child with two counts under both), and
  ``no_status_recorded``.

Not in feedback-report/1 (its schema allows no other key): the page, the PDF, the CSV and
the XLSX carry this section; the JSON stays the contract (docs/reports.md).
"""

from __future__ import annotations

import json

from sqlalchemy import Integer, String, and_, case, cast, func, literal_column, or_, select

from portal.extensions import db
from portal.models import Advocacy, Child, Feedback, Stage
from portal.services.common.labels import ChildStatus
from portal.services.reports.counting import percentage
from portal.services.reports.period import Period

YOUNG_PEOPLE = ("child_or_young_person", "care_leaver")
FOR_A_CHILD = "advocate_or_representative"


def _count_where(condition):
    return func.sum(case((condition, literal_column("1", Integer)), else_=literal_column("0", Integer)))


def with_children(query, first_stage):
    """``query`` over stages joined to their records, with each Stage 1's child and
    advocacy record joined (only Stage 1's: ``first_stage`` is its test)."""
    return (query.outerjoin(Child, and_(first_stage, Child.id == Feedback.child_id))
            .outerjoin(Advocacy, and_(first_stage, Advocacy.feedback_id == Feedback.id)))


def statuses():
    """The child's circumstances as the JSON text stored, to group by (a list's text is
    the same for the same list as written; PostgreSQL cannot group a json value)."""
    return cast(Child.statuses, String)


def counted(period: Period) -> list:
    """What a group of Stage 1 complaints (of one child's circumstances) adds up, in the
    order ``Tally.add`` takes them: about a child, by young people, and of those the
    advocate offered, accepted and in place by the period's end."""
    by_young_person = or_(Feedback.submitter_role.in_(YOUNG_PEOPLE),
                          and_(Feedback.submitter_role == FOR_A_CHILD,
                               or_(Feedback.on_behalf_of_child.is_(True), Feedback.child_id.is_not(None))))
    offered = and_(by_young_person, Advocacy.offered_on <= period.end)
    return [_count_where(Feedback.child_id.is_not(None)), _count_where(by_young_person),
            _count_where(offered), _count_where(and_(offered, Advocacy.answer == "accepted")),
            _count_where(and_(offered, Advocacy.in_place_on <= period.end))]


class Tally:
    """The section's figures, added up a group of Stage 1 complaints at a time."""

    def __init__(self):
        self.about = self.young = self.offered = self.accepted = self.in_place = self.unflagged = 0
        self.by_status = dict.fromkeys(ChildStatus.codes(), 0)

    def add(self, statuses_text: str | None, about, young, offered, accepted, in_place) -> None:
        # SUM gives None over no rows and, on PostgreSQL, a Decimal.
        about, young, offered, accepted, in_place = (int(n or 0) for n in (about, young, offered, accepted, in_place))
        codes = {code for code in json.loads(statuses_text or "null") or () if code in self.by_status}
        for code in codes:
            self.by_status[code] += about
        self.unflagged += about if not codes else 0
        self.about += about
        self.young += young
        self.offered += offered
        self.accepted += accepted
        self.in_place += in_place

    def figures(self) -> dict:
        return {
            "by_young_people": self.young,
            "advocate_offered": self.offered,
            "advocate_accepted": self.accepted,
            "advocate_in_place": self.in_place,
            "offered_rate": _whole(percentage(self.offered, self.young, 0)),
            "accepted_rate": _whole(percentage(self.accepted, self.offered, 0)),
            "about_a_child": self.about,
            "by_status": dict(self.by_status),
            "no_status_recorded": self.unflagged,
        }


def _whole(value) -> int | None:
    return None if value is None else int(value)


def children_complaints(period: Period) -> dict:
    """The section's figures by one grouped count of the period's Stage 1 complaints.
    (The reports page has them from the complaints' own count instead:
    ``build.build_report_and_children``.)"""
    first = Stage.number == 1
    query = with_children(select(statuses(), *counted(period)).select_from(Stage)
                          .join(Feedback, Stage.feedback_id == Feedback.id), first)
    tally = Tally()
    for row in db.session.execute(query.where(first, Stage.started_on.between(period.start, period.end))
                                  .group_by(statuses())):
        tally.add(*row)
    return tally.figures()
