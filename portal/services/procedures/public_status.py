"""A case's status in plain words, for the person who sent it.

Nothing here names staff or shows internal notes: it says where things are, what
happens next, and by when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Feedback, Stage
from portal.services.common.dates import spoken
from portal.services.procedures import clocks, rules, working_days
from portal.services.procedures.clocks import Timescales
from portal.services.procedures.deadlines import FIRST_CONTACT_WORKING_DAYS, current_step
from portal.services.procedures.timescales import current_timescales
from portal.services.procedures.working_days import Calendar


@dataclass(frozen=True)
class PublicStatus:
    headline: str
    detail: str
    next_date: date | None = None
    next_date_label: str | None = None
    # The stage the person may ask for next, while they still can.
    can_ask_for_stage: int | None = None


def describe(
    record: Feedback, today: date, calendar: Calendar, settings: Timescales | None = None
) -> PublicStatus:
    """Where the record is, in the person's words. Without ``settings``, the
    organisation's timescales in force are used."""
    settings = settings or current_timescales()
    if record.not_accepted_on is not None:  # issue 21: triage.decisions.not_accept
        return PublicStatus(
            "We have not accepted this as a complaint",
            f"We decided on {_spoken(record.not_accepted_on)} not to accept it under our complaints "
            "procedure, and wrote to tell you why. If you are unhappy with this decision, you can "
            "contact the Local Government and Social Care Ombudsman.",
        )
    if record.procedure and record.stages:
        return _complaint(record, record.stages[-1], today, calendar, settings)
    if record.procedure:
        return PublicStatus(
            "We have registered your complaint",
            "We will tell you who is looking into it and when to expect our response.",
        )
    if record.kind == "compliment":
        return _compliment(record)
    return _initial_contact(record, calendar)


def _compliment(record: Feedback) -> PublicStatus:
    if record.shared_on:
        return PublicStatus(
            "We have passed your compliment on",
            f"We shared it with the team and their manager on {_spoken(record.shared_on)}. Thank you.",
        )
    return PublicStatus(
        "We have received your compliment",
        "We will pass it on to the team and their manager.",
    )


def _initial_contact(record: Feedback, calendar: Calendar) -> PublicStatus:
    outcome = record.outcome or "open"
    if outcome == "resolved":
        return PublicStatus(
            "We have resolved this",
            f"We sorted this out with you on {_spoken(record.outcome_on)}. If you are still unhappy, "
            "contact us and we can look at it as a formal complaint.",
        )
    if outcome == "withdrawn":
        return PublicStatus("This has been withdrawn", f"It was withdrawn on {_spoken(record.outcome_on)}.")
    if outcome == "referred":
        return PublicStatus(
            "We have passed this on",
            f"This is for another organisation or service to deal with. We passed it on on {_spoken(record.outcome_on)}.",
        )
    return PublicStatus(
        "We are looking at this",
        "Someone from our Customer Feedback Team will contact you to talk about it.",
        working_days.add(record.received_on, FIRST_CONTACT_WORKING_DAYS, calendar),
        "We aim to contact you by",
    )


def _complaint(record: Feedback, stage: Stage, today: date, calendar: Calendar,
               settings: Timescales) -> PublicStatus:
    procedure = record.procedure
    rule = rules.stage(procedure, stage.number)
    name = rule.name
    if stage.responded_on is None:
        return _open_stage(rule, stage, calendar, settings)
    if rule.last:
        return PublicStatus(
            "We have sent our final response",
            f"We sent our {name} response on {_spoken(stage.responded_on)}. If you are still unhappy, "
            "you can ask the Local Government and Social Care Ombudsman to look at your complaint. "
            "It is free and independent.",
        )
    deadline = clocks.escalation_deadline(stage.responded_on, calendar,
                                          settings.in_force(rule.procedure, stage.started_on))
    return PublicStatus(
        f"We have sent our {name} response",
        f"We sent it on {_spoken(stage.responded_on)}. If you are unhappy with it, you can ask for "
        f"your complaint to go to Stage {stage.number + 1}.",
        deadline,
        f"Ask for Stage {stage.number + 1} by",
        can_ask_for_stage=stage.number + 1 if today <= deadline else None,
    )


# What the person reads while each step of a stage is under way (deadlines.stage_steps),
# by how the stage's clock runs: (detail, the label of the step's date).
_STEP_WORDS = {
    (rules.Clock.RESPONSE, "response"): (
        "We are looking into your complaint.", "We aim to send our response by"),
    (rules.Clock.REVIEW_PANEL, "panel meeting"): (
        "A panel of three independent people will meet to review your complaint.",
        "The panel should meet by"),
    (rules.Clock.REVIEW_PANEL, "panel report"): (
        "The panel has met to review your complaint and is writing its report.",
        "The panel should send its report by"),
    (rules.Clock.REVIEW_PANEL, "response"): (
        "The panel has made its report.", "We aim to send our response by"),
}


def _open_stage(rule: rules.StageRule, stage: Stage, calendar: Calendar,
                settings: Timescales) -> PublicStatus:
    step = current_step(rule.procedure, stage, calendar, settings)
    detail, label = _STEP_WORDS[rule.clock, step.what]
    return PublicStatus(f"Your complaint is at {rule.name}", detail, step.due_on, label)


def _spoken(day: date | None) -> str:
    return spoken(day, unknown="a date we have not recorded")
