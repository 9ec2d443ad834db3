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

from sqlalchemy import select

from portal.extensions import db
from portal.models import Advocacy, Child, Feedback, Stage
from portal.services.common.labels import ChildStatus
from portal.services.reports.counting import percentage
from portal.services.reports.period import Period

YOUNG_PEOPLE = ("child_or_young_person", "care_leaver")
FOR_A_CHILD = "advocate_or_representative"


def _by_young_person(role: str, on_behalf_of_child: bool, child_id: int | None) -> bool:
    return role in YOUNG_PEOPLE or (role == FOR_A_CHILD and (on_behalf_of_child or child_id is not None))


def _whole(value) -> int | None:
    return None if value is None else int(value)


def children_complaints(period: Period) -> dict:
    rows = db.session.execute(
        select(Feedback.submitter_role, Feedback.on_behalf_of_child, Feedback.child_id, Child.statuses,
               Advocacy.offered_on, Advocacy.answer, Advocacy.in_place_on)
        .join(Stage, Stage.feedback_id == Feedback.id)
        .outerjoin(Child, Child.id == Feedback.child_id)
        .outerjoin(Advocacy, Advocacy.feedback_id == Feedback.id)
        .where(Stage.number == 1, Stage.started_on.between(period.start, period.end))
    ).all()
    young = offered = accepted = in_place = about = unflagged = 0
    by_status = dict.fromkeys(ChildStatus.codes(), 0)
    for role, on_behalf, child_id, statuses, offered_on, answer, in_place_on in rows:
        if child_id is not None:
            about += 1
            codes = [code for code in statuses or () if code in by_status]
            for code in set(codes):
                by_status[code] += 1
            unflagged += not codes
        if not _by_young_person(role, bool(on_behalf), child_id):
            continue
        young += 1
        if offered_on is not None and offered_on <= period.end:
            offered += 1
            accepted += answer == "accepted"
            in_place += in_place_on is not None and in_place_on <= period.end
    return {
        "by_young_people": young,
        "advocate_offered": offered,
        "advocate_accepted": accepted,
        "advocate_in_place": in_place,
        "offered_rate": _whole(percentage(offered, young, 0)),
        "accepted_rate": _whole(percentage(accepted, offered, 0)),
        "about_a_child": about,
        "by_status": by_status,
        "no_status_recorded": unflagged,
    }
