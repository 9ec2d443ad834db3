"""Stage responses: written from a template with the case's facts, sent by email
through the outbox or recorded as posted, kept on the case.

Issue 5, 7: every response states the next step and its deadline date: the next stage,
asked for by the end of the escalation window (DOMAIN.md, Both procedures: "within 20
WD of the previous stage's response"), or after the last stage the Local Government and
Social Care Ombudsman ("every final response says so"). Issue 5, 6: "A stage cannot be
responded to while an element lacks an outcome".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import render_template

from portal.models import Feedback, Stage, StageResponse, StaffUser
from portal.services.common.dates import not_after_today
from portal.services.procedures import clocks, rules
from portal.services.common import outbox, placeholders, timeline
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import spoken
from portal.services.procedures.common import (
    can_email,
    require_unanswered,
)
from portal.services.common.errors import Refused, check_version
from portal.services.procedures.deadlines import refresh
from portal.services.procedures.rules import stage_name
from portal.services.procedures.elements import check_ready_to_respond, outcome_label
from portal.services.common.labels import Procedure, ResponseMethod
from portal.services.procedures.pauses import is_paused
from portal.services.procedures.timescales import current_timescales

OMBUDSMAN = "Local Government and Social Care Ombudsman"
OMBUDSMAN_CONTACT = "www.lgo.org.uk or 0300 061 0614"


@dataclass(frozen=True)
class NextStep:
    """What the person can do after this response, and by when (None: the Ombudsman,
    whose own time limit runs from when the person first knew of the matter)."""

    text: str
    deadline: date | None
    next_stage: int | None  # None after the last stage


# How the person replies, said as the response is sent: a posted letter never asks them
# to "reply to this email" (issue 13).
HOW_TO_ASK = {"email": "reply to this email, write to us or phone us",
              "post": "write to us, email us or phone us"}


def next_step(stage: Stage, sent_on: date, method: str = "email") -> NextStep:
    """The next step a response sent on ``sent_on`` by ``method`` must state."""
    procedure = stage.feedback.procedure
    if rules.stage(procedure, stage.number).last:
        return NextStep(
            f"If you are still unhappy, you can ask the {OMBUDSMAN} to look at your "
            f"complaint. The Ombudsman is free and independent ({OMBUDSMAN_CONTACT}). They "
            "usually expect you to contact them within 12 months of when you first knew "
            "about the problem, so please do not wait long.",
            None, None)
    deadline = clocks.escalation_deadline(
        sent_on, current_calendar(), current_timescales().in_force(procedure, stage.started_on))
    following = stage.number + 1
    return NextStep(
        f"If you are unhappy with this response, you can ask for your complaint to go to "
        f"{stage_name(procedure, following)}. Please ask us by {spoken(deadline)}: "
        f"{HOW_TO_ASK.get(method, HOW_TO_ASK['post'])}. After that date we can only consider a "
        "request if there is a good reason it is late.",
        deadline, following)


def response_methods(record: Feedback) -> list[str]:
    """The ways a response or notice can reach the person (issue 13): by email only when
    they gave an email address; by post always (staff post or hand it over)."""
    return ["email", "post"] if can_email(record) else ["post"]


def template_name(stage: Stage) -> str:
    return f"email/response_stage{stage.number}.txt"


def draft_response(stage: Stage, sent_on: date, actor: StaffUser | None = None,
                   method: str = "email") -> str:
    """The response as staff start it: the template with the case's facts filled in
    (reference, dates, each element with its outcome, the next step and its date, said
    for ``method``), and placeholders in square brackets for their findings."""
    record = stage.feedback
    return render_template(
        template_name(stage), record=record, stage=stage,
        stage_name=stage_name(record.procedure, stage.number),
        procedure_label=Procedure(record.procedure).words,
        previous=next((s for s in record.stages if s.number == stage.number - 1), None),
        step=next_step(stage, sent_on, method), sent_on=sent_on, signed_by=actor,
        outcome_label=outcome_label, spoken=spoken,
    )


@dataclass(frozen=True)
class CheckedResponse:
    """A response that may be sent: the text as it will go, and where."""

    text: str
    method: str
    sent_on: date
    to_address: str | None
    step: NextStep


def check_response(
    stage: Stage,
    text: str,
    method: str,
    sent_on: date,
    *,
    to_address: str | None = None,
    today: date | None = None,
    version: int | None = None,
    states_next_step: bool = True,
) -> CheckedResponse:
    """Whether a stage's response can be sent as it is, changing nothing: refused (by
    Refused) while an element lacks an outcome, while the stage is paused, before
    a Stage 3 panel's report, while the text holds a placeholder, when the text does not
    state the next step and its date, and when a posted letter asks for a reply by email.
    The staff page asks to confirm what this returns before sending it."""
    record = stage.feedback
    check_version(record, version)
    require_unanswered(stage, "respond to it again")
    check_ready_to_respond(stage)
    if is_paused(stage):
        raise Refused(f"Stage {stage.number} is paused: end the pause before responding")
    if rules.stage(record.procedure, stage.number).review_panel and stage.panel_report_on is None:
        raise Refused("Record the panel's report before the Stage 3 response")
    if sent_on is None:
        raise Refused("Enter the date of the response", "sent_on")
    earliest = stage.panel_report_on or stage.started_on
    if sent_on < earliest:
        raise Refused(f"The response must be dated on or after {spoken(earliest)}",
                      "sent_on")
    not_after_today(sent_on, today, "The date of the response must be today or in the past", "sent_on")
    if method not in ResponseMethod:
        raise Refused("Select how the response is sent", "method")
    body = (text or "").strip()
    if not body:
        raise Refused("Enter the response", "text")
    left = placeholders.problem(body)
    if left:
        raise Refused(left, "text")
    step = next_step(stage, sent_on, method)
    if states_next_step:  # False only when a feedback manager overrode the letter's check (issue 18)
        _check_states_next_step(body, step)
    if method == "post" and "reply to this email" in body.casefold():
        raise Refused("A letter sent by post cannot ask the person to \u2018reply to this "
                      "email\u2019: change those words, or fill in the template again",
                      "text")
    address = None
    if method == "email":
        address = (to_address or "").strip() or (record.person.email if record.person else None)
        if not address:
            raise Refused("There is no email address for the complainant: post the "
                          "response and record it as posted", "method")
    return CheckedResponse(body, method, sent_on, address, step)


def send_response(
    stage: Stage,
    text: str,
    method: str,
    sent_on: date,
    actor: StaffUser,
    *,
    to_address: str | None = None,
    today: date | None = None,
    version: int | None = None,
    states_next_step: bool = True,
) -> StageResponse:
    """Send a stage's response and close the stage.

    ``method`` "email" queues ``text`` in the outbox to ``to_address`` (default the
    person's email address); "post" records that staff posted it on ``sent_on``. The
    stage's ``responded_on`` becomes ``sent_on``. Refused as :func:`check_response` says.
    """
    record = stage.feedback
    check_version(record, version)
    checked = check_response(stage, text, method, sent_on, to_address=to_address, today=today,
                             states_next_step=states_next_step)
    body, address, step = checked.text, checked.to_address, checked.step
    response = StageResponse(text=body, method=method, sent_on=sent_on, to_address=address,
                             next_step=step.text, next_step_deadline=step.deadline,
                             created_by=actor)
    stage.response = response
    stage.responded_on = sent_on
    if address:
        response.outbox_message = outbox.queue(
            address,
            f"Our {stage_name(record.procedure, stage.number)} response to your complaint - "
            f"reference {record.reference}",
            body + "\n", purpose="stage_response", feedback=record)
        timeline.add(record, "email_sent", f"Stage {stage.number} response emailed to {address}", actor)
    else:
        timeline.add(record, "status_change",
                     f"Stage {stage.number} response posted on {spoken(sent_on)}", actor)
    refresh(record)
    return response


def _check_states_next_step(body: str, step: NextStep) -> None:
    if step.deadline is not None and spoken(step.deadline) not in body:
        raise Refused(
            f"The response must tell the person they can ask for Stage {step.next_stage} by "
            f"{spoken(step.deadline)}", "text")
    if step.deadline is None and "Ombudsman" not in body:
        raise Refused("This is the final response: it must tell the person they can go "
                      f"to the {OMBUDSMAN}", "text")
