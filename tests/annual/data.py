"""A small data set for the financial year 2026 to 2027 (1 April 2026 to 31 March 2027),
with each figure worked out by hand beside it. Responses are either a few working days
after their clock start (in time under the 2023 timescales and the Code's alike) or weeks
late, so the figures hold whichever set of timescales is in force.

Corporate (the Code):
  C1  Stage 1 Mon 13 Apr 2026, acknowledged 14 Apr (in 5 WD), answered Thu 16 Apr: in time.
  C2  Stage 1 Mon 1 Jun 2026, never acknowledged, extended to 29 Jun, answered 3 Aug: late,
      extended. Stage 2 Mon 10 Aug, acknowledged 11 Aug, answered Wed 12 Aug: in time.
  C3  Stage 1 Fri 20 Mar 2026 (last year), answered Thu 2 Apr 2026: in time, counted as
      answered this year and received last year.
  => corporate Stage 1: received 2, responded 3, in time 2, extended 1, acknowledged 1;
     Stage 2: received 1, responded 1, in time 1, extended 0, acknowledged 1.
     Last year: Stage 1 received 1 (C3), nothing answered.
Statutory (children's procedure):
  S1  a child, asked for an advocate; Stage 1 Mon 4 May 2026, answered Wed 6 May; 2 points,
      one upheld, one not upheld.
  S2-S7  six parents; Stage 1 Mon 11 May 2026, answered Wed 13 May; 1 point each, not upheld.
  => Stage 1: received 7, responded 7, in time 7, extended 0. Who: child 1, family 6,
     other 0 (published: the child's 1 as "fewer than 5", and the family's 6 as "withheld",
     as 7 less 6 would give it). Outcomes: upheld 1, not upheld 7 (of 8 points).
Not taken on (decisions not to accept a complaint, by the date decided): N1 received 1 May,
not accepted 5 May 2026; N2 received Wed 25 Mar 2026 (last year), not accepted 8 Apr 2026
(this year, as decided then); N3 not accepted 16 Mar 2026 (last year's) and N4 on 6 Apr 2027
(next year's). The two initial contacts referred elsewhere (5 May 2026, 5 Mar 2026) are
referrals, not decisions. => 2.
Ombudsman decisions in the year: E1 on C2 upheld 1 Oct 2026, put right before they became
involved, its one recommendation complied with on time; E2 on S1 not upheld 2 Nov 2026; E3
on C1 upheld 5 Feb 2027, its recommendation still pending; E4 on C3 upheld 10 Apr 2027 (next
year). => uphold rate 2 of 3 (67%); compliance 1 of 1 (100%, E3 still pending); remedied
before 1 of 2 (50%).
Learning: one action raised 1 May 2026 on C2, done 1 Sep 2026.
"""

from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.models import LearningAction, OmbudsmanEnquiry, OmbudsmanRecommendation, Payment
from tests import factories

YEAR = 2026


def load() -> dict:
    stage, complaint = factories.stage, factories.complaint
    c1 = complaint(stage(date(2026, 4, 13), date(2026, 4, 16), acknowledged_on=date(2026, 4, 14),
                         theme=factories_theme("Communication")),
                   procedure="corporate", reference="CF-2026-10001", submitter_role="parent_or_carer")
    c2 = complaint(stage(date(2026, 6, 1), date(2026, 8, 3), extended_to=date(2026, 6, 29)),
                   stage(date(2026, 8, 10), date(2026, 8, 12), acknowledged_on=date(2026, 8, 11)),
                   procedure="corporate", reference="CF-2026-10002", submitter_role="professional")
    c3 = complaint(stage(date(2026, 3, 20), date(2026, 4, 2)), procedure="corporate",
                   reference="CF-2026-10003", submitter_role="other")
    s1 = complaint(stage(date(2026, 5, 4), date(2026, 5, 6), elements=2), procedure="statutory",
                   reference="CF-2026-10004", submitter_role="child_or_young_person", advocate_requested=True)
    s1.stages[0].elements[0].outcome = "upheld"
    for n in range(6):
        complaint(stage(date(2026, 5, 11), date(2026, 5, 13)), procedure="statutory",
                  reference=f"CF-2026-1010{n}", submitter_role="parent_or_carer")
    factories.initial_contact(received_on=date(2026, 5, 5), outcome="referred", reference="CF-2026-10200")
    factories.initial_contact(received_on=date(2026, 3, 5), outcome="referred", reference="CF-2026-10201")
    for ref, received, decided in (("CF-2026-10210", date(2026, 5, 1), date(2026, 5, 5)),
                                   ("CF-2026-10211", date(2026, 3, 25), date(2026, 4, 8)),
                                   ("CF-2026-10212", date(2026, 3, 2), date(2026, 3, 16)),
                                   ("CF-2027-10213", date(2027, 3, 30), date(2027, 4, 6))):
        factories.initial_contact(received_on=received, reference=ref, status="closed",
                                  not_accepted_on=decided, not_accepted_reason="out_of_time",
                                  not_accepted_detail="The events were in 2020.")
    e1 = OmbudsmanEnquiry(feedback_id=c2.id, reference="LGO 26 001", notified_on=date(2026, 8, 20),
                          status="decided", decision="upheld", decided_on=date(2026, 10, 1), remedied_before=True)
    e1.recommendations.append(OmbudsmanRecommendation(text="Apologise", due_on=date(2026, 11, 1),
                                                      complied_on=date(2026, 10, 20), compliance="on_time"))
    e2 = OmbudsmanEnquiry(feedback_id=s1.id, reference="LGO 26 002", notified_on=date(2026, 6, 1),
                          status="decided", decision="not_upheld", decided_on=date(2026, 11, 2))
    e3 = OmbudsmanEnquiry(feedback_id=c1.id, reference="LGO 26 003", notified_on=date(2026, 9, 1),
                          status="decided", decision="upheld", decided_on=date(2027, 2, 5))
    e3.recommendations.append(OmbudsmanRecommendation(text="Review the policy", due_on=date(2027, 5, 1),
                                                      compliance="pending"))
    e4 = OmbudsmanEnquiry(feedback_id=c3.id, reference="LGO 26 004", notified_on=date(2026, 9, 1),
                          status="decided", decision="upheld", decided_on=date(2027, 4, 10))
    action = LearningAction(feedback_id=c2.id, recommendation="Return calls within two working days",
                            source="1", raised_on=date(2026, 5, 1), due_on=date(2026, 9, 30), status="done",
                            completed_on=date(2026, 9, 1), completion_note="Call-back times are checked weekly")
    payment = Payment(feedback_id=c2.id, kind="financial_remedy", amount_pence=15000, paid_on=date(2026, 9, 10),
                      description="Time and trouble")
    db.session.add_all([e1, e2, e3, e4, action, payment])
    db.session.commit()
    return {"c1": c1, "c2": c2, "s1": s1}


def factories_theme(name: str):
    from sqlalchemy import select

    from portal.models import Theme

    return db.session.scalars(select(Theme).where(Theme.name == name)).one()
