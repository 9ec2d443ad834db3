"""The demo team's work on the demo records: assignments, informal resolutions,
complaints through their stages, an Ombudsman enquiry, money, an action plan and a
contact restriction. Everything goes through the same services the pages use, and
the demo makes every part of the work whatever day it is loaded (``demo.missing_parts``
checks).

Every person and story here is invented for the demo.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Stage, StaffUser, Team
from portal.services.casework import learning_actions, ombudsman, payments, restrictions
from portal.services.common import placeholders
from portal.services.accounts import reference_data
from portal.services.triage import decisions
from portal.services.procedures import working_days
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import LONDON
from portal.services.procedures import elements, escalation, registration, responses, stage2, stage3
from portal.services.intake.submissions import Submission, receive

# Teams whose complaints fall under the statutory children's social care procedure.
SOCIAL_CARE = {"Assessment Teams", "Child Protection Teams", "Connected Carers Team",
               "Children with Disabilities Team", "Permanence Teams", "Fostering Team"}
DEMO_STAFF = [
    ("demo.manager@example.org", "Dana Whitfield", "feedback_manager"),
    ("sam.officer@example.org", "Sam Okoro", "feedback_officer"),
    ("priya.officer@example.org", "Priya Nair", "feedback_officer"),
    ("ines.investigator@example.org", "Ines Harper", "investigating_officer"),
    ("demo.admin@example.org", "Robin Ashworth", "administrator"),
]
ELEMENTS = ["Nobody returned my calls for three weeks.",
            "The decision was made without asking for our views."]
PANEL = ["Morgan Ellis (independent)", "Jo Lindqvist (independent)", "Kit Adeyemi (independent)"]


def demo_staff() -> dict[str, StaffUser]:
    """The demo team: accounts with no password until someone follows a set-up link."""
    found = {}
    for email, name, role in DEMO_STAFF:
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None:
            user = StaffUser(email=email, name=name, role=role, active=True)
            db.session.add(user)
        found[role if role != "feedback_officer" or "feedback_officer" not in found else "feedback_officer_2"] = user
    db.session.commit()
    return found


def work_on_everything(today: date) -> None:
    """The random records get the everyday work their age allows; the scripted cases
    (:class:`_Script`) then make every other part of the work, dated back from today."""
    staff = demo_staff()
    manager, officers = staff["feedback_manager"], [staff["feedback_officer"], staff["feedback_officer_2"]]
    calendar = current_calendar()
    for team in db.session.scalars(select(Team)):
        team.manager_email = team.manager_email or f"manager.{team.id}@example.org"
    db.session.commit()
    # Only what nobody has touched yet, so loading the demo twice works on the new records only.
    records = list(db.session.scalars(
        select(Feedback).where(Feedback.status == "new").order_by(Feedback.received_on, Feedback.id)))
    for n, record in enumerate(records):
        officer = officers[n % 2]
        age = (today - record.received_on).days
        if record.kind == "compliment":
            _compliment(record, officer, today, age, calendar)
        elif record.formal_complaint_requested and age > 3:
            decisions.assign(record, officer, manager, record.version)
            _complaint(record, officer, today, calendar)
        elif record.kind == "initial_contact":
            decisions.assign(record, officer, manager, record.version)
            resolved_on = working_days.add(record.received_on, 3, calendar)
            if age > 12 and resolved_on <= today:
                decisions.resolve(record, officer, record.version, today=today,
                               what_was_done="Rang back, explained what happens next and agreed a date for an update.",
                               resolved_on=resolved_on)
    _Script(today, staff, calendar).everything()
    db.session.commit()


# Staff work on working days: every date they record below falls on one, and never after
# today (a step whose date would is left for another day).


def _compliment(record: Feedback, officer: StaffUser, today: date, age: int, calendar) -> None:
    shared_on = working_days.add(record.received_on, 2, calendar)
    if record.team is None or age < 5 or shared_on > today:
        return
    decisions.share_compliment(record, officer, record.version, shared_on=shared_on, today=today)
    if record.publish_consent:
        decisions.clear_for_publication(record, officer, record.version,
                                     anonymised_text="A family told us the team listened and kept every promise.")


def _complaint(record: Feedback, officer: StaffUser, today: date, calendar) -> None:
    start = working_days.add(record.received_on, 2, calendar)
    if start > today:
        return
    team = record.team.name if record.team else ""
    procedure = "statutory" if team in SOCIAL_CARE else "corporate"
    stage = registration.progress_to_stage1(record, procedure, start, officer, today=today)
    for text in ELEMENTS:
        elements.add_element(stage, text, officer)
    acknowledged_on = working_days.add(start, 1, calendar)
    if procedure == "corporate" and acknowledged_on <= today:
        # Acknowledged the next working day; under the Code the response, 7 WD later, is
        # in time (10 WD from the acknowledgement).
        registration.record_acknowledgement(stage, acknowledged_on, officer, today=today)
    sent_on = working_days.add(start, 8, calendar)
    if (today - start).days < 20 or sent_on > today:
        return
    for element, outcome in zip(stage.elements, ("upheld", "not_upheld")):
        elements.set_outcome(element, outcome, officer)
    responses.send_response(stage, _letter(stage, sent_on, officer), "post", sent_on, officer, today=today)


def _letter(stage: Stage, sent_on: date, officer: StaffUser) -> str:
    """A posted response from the template, its placeholders filled in as an officer would
    (a response that still holds one is refused)."""
    letter = responses.draft_response(stage, sent_on, officer, method="post")
    return placeholders.PATTERN.sub("We read the case file and spoke to the team.", letter)


class _Script:
    """The scripted cases, one for each part of the work that the random records may not
    reach: each step is dated a number of working days back from today (``ago``), so
    every case exists, in time, whatever day the demo is loaded."""

    def __init__(self, today: date, staff: dict[str, StaffUser], calendar) -> None:
        self.today, self.calendar = today, calendar
        self.manager, self.officer = staff["feedback_manager"], staff["feedback_officer"]
        self.investigator = staff["investigating_officer"]
        self.teams = {t.name: t.id for t in reference_data.active_teams()}

    def ago(self, n: int) -> date:
        """Working day ``n`` before today (a working day, before today, for ``n`` >= 1)."""
        return working_days.subtract(self.today, n, self.calendar)

    def everything(self) -> None:
        self.compliment_shared_and_cleared(received=12, shared=10)
        self.resolved_informally(received=20, resolved=17)
        first = self.complaint("statutory", "Assessment Teams", "Marsha Quinn", received=32, progressed=30)
        self.respond(first, 22)
        self.restriction(first.feedback, letter=25)
        self.respond(self.complaint("corporate", "SEND Team", "Tariq Bell", received=31, progressed=29), 21)
        # Received two working days ago and not yet acknowledged: the Code's 5 WD clock runs.
        self.complaint("corporate", "SEND Team", "Priya Shah", received=2, progressed=2, acknowledged=False)
        self.stage2(self.complaint("statutory", "Fostering Team", "Helen Ortiz", received=42, progressed=40),
                    responded=32, requested=15, statement=12)
        self.stage2(self.complaint("corporate", "Education - Transport", "Gareth Pryce", received=41, progressed=39),
                    responded=31, requested=14)
        self.stage3(self.complaint("statutory", "Child Protection Teams", "Rosa Lindgren", received=82, progressed=80))
        self.ombudsman(self.complaint("corporate", "Finance", "Colin Ward", received=125, progressed=123))
        self.safeguarding(received=3)

    # --- Records as the public send them ---------------------------------------------------

    def receive(self, received: int, submission: Submission) -> Feedback:
        moment = datetime.combine(self.ago(received), time(10, 30), LONDON)
        return receive(submission, now=moment.astimezone(timezone.utc))

    @staticmethod
    def person(name: str) -> dict:
        return {"name": name, "email": name.lower().replace(" ", ".") + "@example.org",
                "contact_methods": ["email"]}

    def compliment_shared_and_cleared(self, received: int, shared: int) -> None:
        record = self.receive(received, Submission(
            kind="compliment", submitter_role="foster_carer", team_id=self.teams.get("Fostering Team"),
            summary="Our supervising social worker came out the same evening when our placement was struggling.",
            publish_consent=True, **self.person("Nadia Osei")))
        decisions.assign(record, self.officer, self.manager, record.version)
        decisions.share_compliment(record, self.officer, record.version, shared_on=self.ago(shared), today=self.today)
        decisions.clear_for_publication(record, self.officer, record.version,
                                     anonymised_text="A foster carer told us their social worker came the same evening.")

    def resolved_informally(self, received: int, resolved: int) -> None:
        record = self.receive(received, Submission(
            kind="initial_contact", submitter_role="parent_or_carer", category="concern",
            team_id=self.teams.get("Education - Transport"),
            summary="The school bus has not turned up twice this week.", **self.person("Liam Carter")))
        decisions.assign(record, self.officer, self.manager, record.version)
        decisions.resolve(record, self.officer, record.version, today=self.today, resolved_on=self.ago(resolved),
                       what_was_done="Spoke to the transport provider; a new driver covers the route from Monday.")

    def safeguarding(self, received: int) -> None:
        self.receive(received, Submission(
            kind="initial_contact", submitter_role="other_family", category="concern",
            team_id=self.teams.get("Assessment Teams"), safeguarding_concern=True,
            summary="My niece told me she is scared to go home at the weekend.", **self.person("Joy Mensah")))

    # --- Complaints through their stages ---------------------------------------------------

    def complaint(self, procedure: str, team: str, name: str, *, received: int, progressed: int,
                  acknowledged: bool = True) -> Stage:
        record = self.receive(received, Submission(
            kind="initial_contact", submitter_role="parent_or_carer", formal_complaint_requested=True,
            team_id=self.teams.get(team), when_it_happened="Over the last two months",
            summary="Nobody returned my calls for three weeks, and the decision was made without us.",
            desired_outcome="An apology, and for this not to happen to another family.", **self.person(name)))
        decisions.assign(record, self.officer, self.manager, record.version)
        stage = registration.progress_to_stage1(record, procedure, self.ago(progressed), self.officer,
                                                today=self.today)
        for text in ELEMENTS:
            elements.add_element(stage, text, self.officer)
        if procedure == "corporate" and acknowledged:
            registration.record_acknowledgement(stage, self.ago(progressed - 1), self.officer, today=self.today)
        return stage

    def respond(self, stage: Stage, on: int, outcomes=("upheld", "not_upheld")) -> None:
        for element, outcome in zip(stage.elements, outcomes):
            elements.set_outcome(element, outcome, self.officer)
        sent_on = self.ago(on)
        responses.send_response(stage, _letter(stage, sent_on, self.officer), "post", sent_on,
                                self.officer, today=self.today)

    def escalate(self, stage: Stage, requested: int, statement: int | None = None) -> Stage:
        record = stage.feedback
        second = escalation.request_next_stage(record, self.ago(requested), self.manager, today=self.today)
        if second.number == 2:
            stage2.appoint_investigating_officer(second, self.investigator, self.manager)
            if record.procedure == "statutory":
                stage2.appoint_independent_person(second, "Alex Morgan (independent)", self.manager)
            else:
                registration.record_acknowledgement(second, self.ago(requested - 1), self.manager, today=self.today)
            if statement is not None:
                stage2.record_statement_agreed(second, self.ago(statement), self.investigator, today=self.today)
            record.assigned_to = self.investigator
            db.session.commit()
        return second

    def stage2(self, first: Stage, *, responded: int, requested: int, statement: int | None = None) -> Stage:
        self.respond(first, responded)
        return self.escalate(first, requested, statement)

    def stage3(self, first: Stage) -> None:
        """Stage 1 and 2 answered in time; the review panel has met and reported, and the
        response is not due yet."""
        second = self.stage2(first, responded=72, requested=64, statement=60)
        self.respond(second, 42, ("partially_upheld", "not_upheld"))
        third = self.escalate(second, 30)
        stage3.appoint_panel(third, PANEL, PANEL[0], self.manager)
        stage3.record_panel_meeting(third, self.ago(10), self.manager, today=self.today)
        stage3.record_panel_report(third, self.ago(6), self.manager, today=self.today)

    def ombudsman(self, first: Stage) -> None:
        """A corporate complaint answered at both stages, then taken to the Ombudsman, who
        upheld it: a remedy, the investigator's cost, two recommendations and the action
        plan (one action done, one open, one overdue)."""
        second = self.stage2(first, responded=115, requested=105)
        self.respond(second, 85)
        record, manager = first.feedback, self.manager
        notified, decided = self.ago(75), self.ago(35)
        enquiry = ombudsman.record_enquiry(record, f"LGSCO {notified.year % 100:02d} 004 512", notified, manager,
                                           status="investigation", today=self.today)
        ombudsman.record_decision(enquiry, "upheld", decided, manager, remedy_amount="£250", today=self.today)
        apology = ombudsman.add_recommendation(enquiry, "Apologise in writing to the family.", self.ago(25), manager)
        ombudsman.record_compliance(apology, self.ago(28), manager, today=self.today)
        reminder = ombudsman.add_recommendation(enquiry, "Remind staff to return calls within two working days.",
                                                working_days.add(self.today, 20, self.calendar), manager)
        payments.record_payment(record, "financial_remedy", "250.00", self.ago(30), manager,
                                decided_by="LGSCO recommendation", reason="For the time and trouble of complaining.",
                                today=self.today)
        payments.record_payment(record, "investigation_cost", "1,200.00", self.ago(84), manager,
                                reason="Independent investigator's fee", today=self.today)
        raised = self.ago(34)
        done = learning_actions.raise_action_from_recommendation(apology, self.officer, None, manager, today=raised)
        learning_actions.complete(done, "Letter of apology sent by the head of service.", manager,
                                  completed_on=self.ago(28), today=self.today)
        learning_actions.raise_action_from_recommendation(reminder, self.officer, None, manager, today=raised)
        learning_actions.raise_action(record, "2", "Check every open case has a named worker each month.",
                                      self.officer, self.ago(5), manager, today=raised)  # now overdue
        db.session.commit()

    def restriction(self, record: Feedback, letter: int) -> None:
        restrictions.record_letter(record.person, self.ago(letter), ["single_point_of_contact", "written_contact_only"],
                                   "Many calls a day to several teams about the same matter.", "Dana Whitfield",
                                   self.manager, today=self.today)
        db.session.commit()
