"""A case's status in plain words, for the person who sent it.

Nothing here names staff or shows internal notes: it says where things are, what
happens next, and by when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Feedback, Stage
from portal.services.common.dates import spoken
from portal.services.procedures import clocks, working_days
from portal.services.procedures.clocks import Timescales
from portal.services.procedures.working_days import Calendar

from portal.services.procedures.deadlines import FIRST_CONTACT_WORKING_DAYS

STAGE_NAMES = {
    ("statutory", 1): "Stage 1 (local resolution)",
    ("statutory", 2): "Stage 2 (independent investigation)",
    ("statutory", 3): "Stage 3 (review panel)",
    ("corporate", 1): "Stage 1",
    ("corporate", 2): "Stage 2 (review)",
}
LAST_STAGE = {"statutory": 3, "corporate": 2}


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
    if settings is None:
        from portal.services.procedures.deadlines import organisation_timescales

        settings = organisation_timescales()
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
    name = STAGE_NAMES.get((procedure, stage.number), f"Stage {stage.number}")
    if stage.responded_on is None:
        return _open_stage(procedure, stage, name, calendar, settings)
    if stage.number >= LAST_STAGE[procedure]:
        return PublicStatus(
            "We have sent our final response",
            f"We sent our {name} response on {_spoken(stage.responded_on)}. If you are still unhappy, "
            "you can ask the Local Government and Social Care Ombudsman to look at your complaint. "
            "It is free and independent.",
        )
    deadline = clocks.escalation_deadline(stage.responded_on, calendar, settings)
    return PublicStatus(
        f"We have sent our {name} response",
        f"We sent it on {_spoken(stage.responded_on)}. If you are unhappy with it, you can ask for "
        f"your complaint to go to Stage {stage.number + 1}.",
        deadline,
        f"Ask for Stage {stage.number + 1} by",
        can_ask_for_stage=stage.number + 1 if today <= deadline else None,
    )


def _open_stage(procedure: str, stage: Stage, name: str, calendar: Calendar,
                settings: Timescales) -> PublicStatus:
    if procedure == "statutory" and stage.number == 3:
        if stage.panel_report_on:
            due = clocks.stage3_response_due(stage.panel_report_on, calendar, settings)
            return PublicStatus(f"Your complaint is at {name}", "The panel has made its report.",
                                due, "We aim to send our response by")
        due = clocks.panel_due(stage.started_on, calendar, settings)
        return PublicStatus(f"Your complaint is at {name}",
                            "A panel of three independent people will meet to review your complaint.",
                            due, "The panel should meet by")
    due = clocks.due_date(procedure, stage.number, stage.started_on, calendar, settings,
                          stage.extended_to, stage.paused_working_days or 0)
    return PublicStatus(f"Your complaint is at {name}", "We are looking into your complaint.",
                        due, "We aim to send our response by")


def _spoken(day: date | None) -> str:
    return spoken(day, unknown="a date we have not recorded")
