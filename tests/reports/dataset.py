"""A small data set that exercises every counting rule of the report, with each expected
figure worked out by hand beside the record that produces it.

The period is Monday 15 May 2023 to Tuesday 14 November 2023: it starts and ends inside a
financial quarter, so its quarters are cut to it:

    Q1  2023-05-15 to 2023-06-30
    Q2  2023-07-01 to 2023-09-30
    Q3  2023-10-01 to 2023-11-14

The previous period is 2022-05-15 to 2022-11-14.

Bank holidays used below: 2023: 1 May, 8 May (coronation), 29 May, 28 August; 2022: 2 and 3
June (jubilee), 29 August, 19 September (state funeral). The administrator has added one extra
non-working day, Monday 9 October 2023 (``EXTRA_DAY``).

Working days (WD) are counted as DOMAIN.md says: day 1 is the first working day after the
start. Every sum written in a comment was counted on a calendar by hand.
"""

from __future__ import annotations

from datetime import date
from itertools import count

from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ContactRestriction, Element, Feedback, LearningAction, NonWorkingDay, OmbudsmanEnquiry,
    Payment, Stage, Team, Theme,
)

START, END = date(2023, 5, 15), date(2023, 11, 14)
EXTRA_DAY = date(2023, 10, 9)

_references = count(1)


def D(text: str) -> date:
    return date.fromisoformat(text)


class Builder:
    """Small helpers that read like the record they make."""

    def __init__(self):
        self.teams = {t.name: t for t in db.session.scalars(select(Team))}
        self.themes = {t.name: t for t in db.session.scalars(select(Theme))}

    def feedback(self, kind, received_on, role="parent_or_carer", team=None, theme=None,
                 outcome=None, procedure=None) -> Feedback:
        record = Feedback(
            reference=f"CF-TEST-{next(_references):05d}", kind=kind, received_on=D(received_on),
            channel="email", submitter_role=role, summary="Test record.",
            team=self.teams[team] if team else None, theme=self.themes[theme] if theme else None,
            outcome=outcome, procedure=procedure,
        )
        db.session.add(record)
        return record

    def complaint(self, procedure, received_on, role="parent_or_carer", team=None, theme=None,
                  kind="complaint", outcome=None) -> Feedback:
        return self.feedback(kind, received_on, role, team, theme, outcome, procedure)

    def stage(self, record, number, started_on, responded_on=None, team=None, theme=None,
              elements=(), **clock) -> Stage:
        """``elements``: (outcome, own theme or None) pairs, numbered in order."""
        for key in ("extended_to", "panel_met_on", "panel_report_on"):
            if key in clock:
                clock[key] = D(clock[key])
        stage = Stage(
            number=number, started_on=D(started_on),
            responded_on=D(responded_on) if responded_on else None,
            team=self.teams[team] if team else None, theme=self.themes[theme] if theme else None,
            **clock,
        )
        for n, (outcome, theme_name) in enumerate(elements, start=1):
            stage.elements.append(Element(
                number=n, summary=f"Element {n}.", outcome=outcome,
                theme=self.themes[theme_name] if theme_name else None,
            ))
        record.stages.append(stage)
        return stage

    def ombudsman(self, record, notified_on, decision=None, decided_on=None, remedy=None):
        enquiry = OmbudsmanEnquiry(
            reference=f"LGSCO-{next(_references)}", notified_on=D(notified_on),
            status="decided" if decision else "investigation", decision=decision,
            decided_on=D(decided_on) if decided_on else None,
        )
        if remedy:
            enquiry.remedy_amount = remedy
        record.ombudsman_enquiries.append(enquiry)

    def payment(self, record, kind, amount, paid_on):
        payment = Payment(kind=kind, paid_on=D(paid_on))
        payment.amount = amount
        record.payments.append(payment)

    def action(self, record, raised_on, status, due_on=None, completed_on=None):
        record.learning_actions.append(LearningAction(
            recommendation="Do better.", raised_on=D(raised_on), status=status,
            due_on=D(due_on) if due_on else None,
            completed_on=D(completed_on) if completed_on else None,
        ))

    def letter(self, issued_on):
        db.session.add(ContactRestriction(person_name="A Person", letter_issued_on=D(issued_on),
                                          restrictions=["written_contact_only"]))


def load() -> None:
    b = Builder()
    db.session.add(NonWorkingDay(day=EXTRA_DAY, description="A newly proclaimed bank holiday"))

    # --- Compliments, by received_on -------------------------------------------------
    b.feedback("compliment", "2023-05-14", team="Fostering Team")  # day before: not counted
    b.feedback("compliment", "2023-05-15", team="Fostering Team")  # first day: Q1
    b.feedback("compliment", "2023-06-30", role="professional")  # Q1's last day; no team
    b.feedback("compliment", "2023-07-01", team="Fostering Team")  # Q2's first day
    b.feedback("compliment", "2023-11-14", role="child_or_young_person", team="Early Help")  # Q3
    b.feedback("compliment", "2023-11-15", team="Early Help")  # day after: not counted
    b.feedback("compliment", "2022-06-01", team="Early Help")  # previous year: no comparison
    # compliments: by_quarter [2, 1, 1], total 4
    # by_submitter_role: child_or_young_person 1, parent_or_carer 2, professional 1
    # by_team: Fostering Team 2, Early Help 1, Not recorded 1

    # --- Initial contacts, by received_on, under their current outcome ---------------
    b.feedback("initial_contact", "2023-05-12", outcome="resolved")  # before: not counted
    b.feedback("initial_contact", "2023-05-20", outcome="resolved")  # Q1 resolved
    b.feedback("initial_contact", "2023-06-10", outcome=None)  # Q1, none recorded: open
    i3 = b.feedback("initial_contact", "2023-07-05", outcome="progressed",  # Q2 progressed
                    team="SEND Team", theme="Communication", procedure="corporate")
    b.feedback("initial_contact", "2023-08-01", outcome="withdrawn")  # Q2 withdrawn
    b.feedback("initial_contact", "2023-10-02", outcome="referred")  # Q3 referred
    b.feedback("initial_contact", "2023-10-03", outcome="resolved")  # Q3 resolved
    b.feedback("initial_contact", "2023-11-20", outcome="open")  # after: not counted
    # received [2, 2, 2] 6; resolved [1, 0, 1] 2; progressed [0, 1, 0] 1;
    # withdrawn [0, 1, 0] 1; referred [0, 0, 1] 1; open [1, 0, 0] 1

    # --- Complaints ------------------------------------------------------------------
    # K1 statutory. Stage 1 registered Saturday 20 May 2023 (Q1), no team or theme of its
    # own: the record's SEND Team / SEND. Due (DOMAIN.md's own example): day 1 Mon 22 May,
    # 29 May a bank holiday, day 10 Mon 5 June. Responded 5 June (Q1): in time, on the day.
    k1 = b.complaint("statutory", "2023-05-20", team="SEND Team", theme="SEND")
    b.stage(k1, 1, "2023-05-20", "2023-06-05", elements=[
        ("upheld", "Communication"),  # upheld, its own theme: Communication
        ("upheld", None),  # upheld, no theme, stage none: the record's SEND
        ("not_upheld", None),
    ])

    # K2 statutory, a child. Stage 1 registered Friday 30 June (Q1's last day); its own
    # team Early Help and theme Case management. Base due: day 10 Fri 14 July; maximum:
    # day 20 Fri 28 July. The imported extension to 11 August is beyond the maximum and
    # counts only to 28 July. Responded Mon 31 July (Q2): late.
    k2 = b.complaint("statutory", "2023-06-30", role="child_or_young_person",
                     team="Assessment Teams")
    b.stage(k2, 1, "2023-06-30", "2023-07-31", team="Early Help", theme="Case management",
            extended_to="2023-08-11", extension_reason="Imported", elements=[
                ("partially_upheld", None), ("withdrawn", None)])

    # K3 corporate, a care leaver, nothing recorded about team or theme. Stage 1
    # registered on the period's last day (Q3); no response yet.
    k3 = b.complaint("corporate", "2023-11-14", role="care_leaver")
    b.stage(k3, 1, "2023-11-14")

    # K4 = the progressed initial contact i3 (corporate). Stage 1 from Friday 7 July (Q2),
    # its own team Fostering Team, no theme: the record's Communication. Base due: day 10
    # Fri 21 July; paused 3 WD: Wed 26 July. Responded 26 July (Q2): in time, by the pause.
    b.stage(i3, 1, "2023-07-07", "2023-07-26", team="Fostering Team", paused_working_days=3,
            elements=[("upheld", "SEND"), ("unable_to_determine", None)])

    # K5 statutory. Stage 1 registered Sunday 14 May, the day before the period: not
    # received in it. Due day 10 = Fri 26 May; responded 26 May (Q1): concluded in the
    # period, in time.
    k5 = b.complaint("statutory", "2023-05-14", role="other")
    b.stage(k5, 1, "2023-05-14", "2023-05-26", team="Assessment Teams", theme="Delay",
            elements=[("upheld", None)])  # upheld, the stage's theme: Delay
    # Stage 2 requested Mon 10 July (Q2): a late escalation (the window closed on day 20
    # after 26 May, Mon 26 June), accepted with a reason; it still counts as received.
    # Base due day 25 Mon 14 Aug; maximum day 65 Tue 10 Oct; extended to Fri 15 Sep,
    # within the maximum. Responded 15 Sep (Q2): in time by the extension.
    # Duration: 48 WD (Jul 11-14: 4, to Aug 11: 24, Aug 14-25: 34, 28 Aug bank holiday,
    # Aug 29-Sep 1: 38, Sep 4-15: 48).
    b.stage(k5, 2, "2023-07-10", "2023-09-15", team="Assessment Teams", theme="SEND",
            late_request_reason="Was in hospital", extended_to="2023-09-15", elements=[
                ("upheld", "Finance"),  # upheld, its own theme: Finance
                ("not_upheld", None)])

    # K6 corporate. Stage 1 in April (before the period). Stage 2 requested Mon 15 May
    # (Q1's first day), no team or theme of its own: the record's SEND Team / SEND.
    # Due day 25: May 16-26 is 9, 29 May bank holiday, May 30-Jun 2 is 13, to Jun 16 is 23,
    # Mon 19 is 24, Tue 20 June is 25. Responded Wed 21 June (Q1): late. Duration 26 WD.
    k6 = b.complaint("corporate", "2023-04-03", role="professional", team="SEND Team",
                     theme="SEND")
    b.stage(k6, 1, "2023-04-03", "2023-04-20", elements=[("upheld", None)])  # before: no
    b.stage(k6, 2, "2023-05-15", "2023-06-21", elements=[
        ("upheld", None),  # upheld; no theme on element or stage: the record's SEND
        ("partially_upheld", "Communication")])

    # K7 statutory, Stage 3 requested Thu 20 April (before the period: not received in
    # it). Panel due day 30: 1 May and 8 May and 29 May are bank holidays, so Tue 6 June;
    # met 6 June, in time. Report Mon 12 June; response due day 15 after it, Mon 3 July;
    # responded 3 July (Q2): in time.
    k7 = b.complaint("statutory", "2022-12-01", role="foster_carer")
    b.stage(k7, 1, "2022-12-01", "2022-12-14")
    b.stage(k7, 2, "2023-01-05", "2023-03-30", elements=[("upheld", None)])  # before: no
    b.stage(k7, 3, "2023-04-20", "2023-07-03", panel_met_on="2023-06-06",
            panel_report_on="2023-06-12", elements=[("not_upheld", None), ("upheld", None)])

    # K8 statutory. Stage 2 answered 2 May; Stage 3 requested Mon 14 Aug (Q2), late
    # (the window closed on Thu 1 June). Panel due day 30: 28 Aug a bank holiday, Tue
    # 26 Sep; it met Mon 2 Oct: late. Report Fri 6 Oct; response due day 15 after it
    # (9 Oct is the extra non-working day), Mon 30 Oct; responded Fri 20 Oct (Q3) within
    # that, but the late panel makes Stage 3 out of timescale.
    k8 = b.complaint("statutory", "2023-01-03")
    b.stage(k8, 1, "2023-01-03", "2023-01-17")
    b.stage(k8, 2, "2023-02-01", "2023-05-02")
    b.stage(k8, 3, "2023-08-14", "2023-10-20", late_request_reason="Bereavement",
            panel_met_on="2023-10-02", panel_report_on="2023-10-06",
            elements=[("unable_to_determine", None)])

    # K9 corporate, staff. Stage 1 from Mon 2 Oct (Q3), no team or theme of its own: the
    # record's Fostering Team / Finance. Due day 10 would be Mon 16 Oct, but 9 Oct is the
    # administrator's extra non-working day: Tue 17 Oct. Responded 17 Oct: in time only
    # with the extra day.
    k9 = b.complaint("corporate", "2023-10-02", role="staff", team="Fostering Team",
                     theme="Finance")
    b.stage(k9, 1, "2023-10-02", "2023-10-17", elements=[("not_upheld", None)])

    # K10 corporate. Stage 1 from Wed 1 Nov (Q3), record team Early Help, no theme
    # anywhere. Due day 10 Wed 15 Nov; responded on the period's last day, 14 Nov: in time.
    k10 = b.complaint("corporate", "2023-11-01", role="other_family", team="Early Help")
    b.stage(k10, 1, "2023-11-01", "2023-11-14", elements=[
        ("upheld", None),  # upheld; no theme on element, stage or record: Not recorded
        (None, None)])  # no outcome yet: not counted

    # --- The previous period, 2022-05-15 to 2022-11-14 -------------------------------
    p0 = b.complaint("statutory", "2022-05-15", role="child_or_young_person")
    b.stage(p0, 1, "2022-05-15")  # first day: statutory Stage 1, from a young person
    p00 = b.complaint("statutory", "2022-05-14", role="child_or_young_person")
    b.stage(p00, 1, "2022-05-14")  # day before: not counted
    # Four Stage 2s started and answered in the previous period; durations in WD:
    p1 = b.complaint("statutory", "2022-06-01")
    b.stage(p1, 2, "2022-06-01", "2022-06-06")  # 2 and 3 June bank holidays: Mon 6 = 1
    p2 = b.complaint("corporate", "2022-08-26")
    b.stage(p2, 2, "2022-08-26", "2022-08-30")  # 29 August bank holiday: Tue 30 = 1
    p3 = b.complaint("statutory", "2022-09-16")
    b.stage(p3, 2, "2022-09-16", "2022-09-20")  # 19 September bank holiday: Tue 20 = 1
    p4 = b.complaint("corporate", "2022-11-10")
    b.stage(p4, 2, "2022-11-10", "2022-11-14")  # Fri 11 = 1, Mon 14 = 2
    # previous Stage 2 average: (1 + 1 + 1 + 2) / 4 = 1.25, half up 1.3 (round() gives 1.2)
    p5 = b.complaint("corporate", "2022-04-01")
    b.stage(p5, 2, "2022-04-01", "2022-05-13")  # answered before the previous period: no
    p6 = b.complaint("corporate", "2022-10-03")
    b.stage(p6, 2, "2022-11-15", "2022-11-15")  # started and answered after it: no
    # previous received: statutory stage1 1, stage2 2 (p1, p3), stage3 0;
    # corporate stage1 0, stage2 2 (p2, p4); all stage1 1, stage2 4, stage3 0;
    # from young people 1 (p0)

    # --- Ombudsman enquiries, by notified_on ------------------------------------------
    b.ombudsman(k7, "2023-05-14", "upheld", "2023-06-01")  # day before: not counted
    b.ombudsman(k6, "2023-05-15", "upheld", "2023-09-01", remedy="500.00")  # Q1: upheld
    b.ombudsman(k7, "2023-07-20", "closed_after_initial_enquiries", "2023-11-14")  # Q2:
    #   decided on the period's last day: closed after initial enquiries
    b.ombudsman(k8, "2023-08-01", "upheld", "2023-12-01")  # Q2: decided after: in progress
    b.ombudsman(k5, "2023-10-10")  # Q3: undecided: in progress
    # received 4, by_quarter [1, 2, 1];
    # by_outcome: upheld 1, closed_after_initial_enquiries 1, in_progress 2

    # --- Money, by paid_on (the Ombudsman's 500.00 recommendation is never added) -----
    b.payment(k6, "investigation_cost", "1200.00", "2023-05-15")
    b.payment(k8, "investigation_cost", "350.50", "2023-11-14")
    b.payment(k8, "investigation_cost", "99.99", "2023-11-15")  # after: not counted
    b.payment(k6, "financial_remedy", "500.00", "2023-09-10")
    b.payment(k6, "financial_remedy", "300.00", "2023-10-01")
    b.payment(p1, "investigation_cost", "4058.00", "2022-06-01")  # previous
    b.payment(p1, "investigation_cost", "10.00", "2022-05-14")  # before previous: no
    # investigation: current 1200.00 + 350.50 = "1550.50", previous "4058.00"
    # financial remedies: current 500.00 + 300.00 = "800.00", previous "0.00"

    # --- Letters about persistent contact, by letter_issued_on ------------------------
    for issued in ("2023-05-15", "2023-08-08", "2023-11-14", "2023-11-15",
                   "2022-11-14", "2022-11-15"):
        b.letter(issued)
    # current 3 (the 15 Nov letter is after), previous 1 (2022-11-14)

    # --- Learning actions, by raised_on; state at the period's end, 14 Nov 2023 ------
    b.action(k6, "2023-05-14", "open", due_on="2023-06-01")  # before: not counted
    b.action(k6, "2023-06-01", "done", due_on="2023-10-01", completed_on="2023-09-01")  # completed
    b.action(k6, "2023-07-01", "done", due_on="2023-10-01", completed_on="2023-11-20")  # open, overdue
    b.action(k5, "2023-08-01", "in_progress", due_on="2023-11-14")  # open; due on the end: not overdue
    b.action(k5, "2023-09-01", "open", due_on="2023-11-13")  # open, overdue
    b.action(k7, "2023-10-01", "open")  # open, no due date: not overdue
    b.action(k7, "2023-10-05", "done", due_on="2023-10-06")  # done without a date: open, overdue
    b.action(k7, "2023-11-15", "open", due_on="2023-11-16")  # after: not counted
    # raised 6, completed 1, open 5, overdue 3

    db.session.commit()
