"""Advocacy for the child a complaint is about, as a record.

DOMAIN.md, "The child and advocacy": a child making a complaint is offered an advocate
(Children Act 1989 s.26A): record the offer (when, how), the answer, the referral (to
which service, when) and the date an advocate is in place.

While the child waits for an advocate the open stage's clock may be paused, where the
procedure allows it: the rule-book's ``pausable`` (a Stage 3 review panel's timescales
take no pause), through ``procedures.pauses`` (pause_stage, end_pause), so that the due
date moves on by the working days waited as for any pause. The pause starts on the
referral's date and ends on the day the advocate is in place.
"""

from __future__ import annotations

from datetime import date

from portal.models import Advocacy, Feedback, StaffUser
from portal.services.common import timeline
from portal.services.common.dates import not_after_today, spoken
from portal.services.common.errors import Refused, check_version
from portal.services.common.labels import AdvocacyAnswer, AdvocacyOfferMethod
from portal.services.procedures import pauses, rules
from portal.services.procedures.common import open_stage

NAME_LIMIT = 200


def _text(value: str | None, what: str, field: str) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > NAME_LIMIT:
        raise Refused(f"{what} must be {NAME_LIMIT} characters or fewer", field)
    return value or None


def _not_before(later: date | None, earlier: date | None, message: str, field: str) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise Refused(f"{message} {spoken(earlier)}", field)


def can_pause_for(record: Feedback) -> bool:
    """Whether the open stage's clock may wait for an advocate (the rule-book)."""
    stage = open_stage(record)
    return (stage is not None and rules.stage(record.procedure, stage.number).pausable
            and not pauses.is_paused(stage))


def record_advocacy(record: Feedback, actor: StaffUser, *, offered_on: date | None = None,
                    offered_how: str | None = None, answer: str | None = None,
                    answered_on: date | None = None, referred_to: str | None = None,
                    referred_on: date | None = None, advocate_name: str | None = None,
                    in_place_on: date | None = None, pause_while_waiting: bool = False,
                    today: date | None = None, version: int | None = None) -> Advocacy:
    """Record where advocacy stands, each step only after the one it follows: an answer
    after an offer, a referral and an advocate only once the child accepted, and each
    date on or after the one before it and not in the future."""
    check_version(record, version)
    referred_to = _text(referred_to, "The advocacy service", "referred_to")
    advocate_name = _text(advocate_name, "The advocate's name", "advocate_name")
    if offered_how is not None and offered_how not in AdvocacyOfferMethod:
        raise Refused("Choose how the advocate was offered", "offered_how")
    if answer is not None and answer not in AdvocacyAnswer:
        raise Refused("Choose whether the child accepted or declined", "answer")
    if (offered_on is None) != (offered_how is None):
        raise Refused("Enter when the advocate was offered" if offered_on is None
                      else "Choose how the advocate was offered",
                      "offered_on" if offered_on is None else "offered_how")
    if answer and offered_on is None:
        raise Refused("Enter when the advocate was offered before recording the answer", "offered_on")
    if answer and answered_on is None:
        raise Refused("Enter the date the child answered", "answered_on")
    if answered_on and not answer:
        raise Refused("Choose whether the child accepted or declined", "answer")
    if (referred_to or referred_on or advocate_name or in_place_on) and answer != AdvocacyAnswer.ACCEPTED:
        raise Refused("Record that the child accepted an advocate before the referral", "answer")
    if (referred_to is None) != (referred_on is None):
        raise Refused("Enter the service the child was referred to" if referred_to is None
                      else "Enter the date of the referral",
                      "referred_to" if referred_to is None else "referred_on")
    if (advocate_name is None) != (in_place_on is None):
        raise Refused("Enter the advocate's name" if advocate_name is None
                      else "Enter the date the advocate was in place",
                      "advocate_name" if advocate_name is None else "in_place_on")
    for day, field, what in ((offered_on, "offered_on", "The date of the offer"),
                             (answered_on, "answered_on", "The date the child answered"),
                             (referred_on, "referred_on", "The date of the referral"),
                             (in_place_on, "in_place_on", "The date the advocate was in place")):
        not_after_today(day, today, f"{what} must be today or in the past", field)
    _not_before(answered_on, offered_on, "The date the child answered must be on or after the offer,", "answered_on")
    _not_before(referred_on, answered_on, "The date of the referral must be on or after the answer,", "referred_on")
    _not_before(in_place_on, referred_on, "The date the advocate was in place must be on or after the referral,",
                "in_place_on")
    advocacy = record.advocacy
    waiting = advocacy.pause if advocacy is not None and advocacy.pause and advocacy.pause.ended_on is None else None
    if pause_while_waiting and waiting is None:
        if referred_on is None:
            raise Refused("Enter the referral to pause the clock while the child waits for an advocate",
                          "referred_on")
        if in_place_on is not None:
            raise Refused("The advocate is already in place: there is no wait to pause the clock for",
                          "pause_while_waiting")
        if not can_pause_for(record):
            raise Refused(_why_no_pause(record), "pause_while_waiting")

    if advocacy is None:
        advocacy = Advocacy()
        record.advocacy = advocacy
    before = _steps(advocacy)
    advocacy.offered_on, advocacy.offered_how = offered_on, offered_how
    advocacy.answer, advocacy.answered_on = answer, answered_on
    advocacy.referred_to, advocacy.referred_on = referred_to, referred_on
    advocacy.advocate_name, advocacy.in_place_on = advocate_name, in_place_on
    for step in _steps(advocacy):
        if step not in before:
            timeline.add(record, "status_change", step, actor)

    if pause_while_waiting and waiting is None:
        stage = open_stage(record)
        advocacy.pause = pauses.pause_stage(stage, f"Waiting for an advocate from {referred_to}", referred_on,
                                            actor, today=today)
    elif waiting is not None and in_place_on is not None:
        pauses.end_pause(waiting.stage, max(in_place_on, waiting.started_on), actor, today=today)
    return advocacy


def _why_no_pause(record: Feedback) -> str:
    stage = open_stage(record)
    if stage is None:
        return "There is no open complaint stage whose clock could be paused"
    if pauses.is_paused(stage):
        return f"Stage {stage.number} is already paused"
    return "A Stage 3 review panel's timescales cannot be paused"


def _steps(advocacy: Advocacy) -> list[str]:
    """Each step recorded, in the words the timeline says it."""
    steps = []
    if advocacy.offered_on:
        steps.append(f"Advocate offered {AdvocacyOfferMethod.words_of(advocacy.offered_how, '').lower()} "
                     f"on {spoken(advocacy.offered_on)}")
    if advocacy.answer:
        steps.append(f"Advocate {AdvocacyAnswer.words_of(advocacy.answer).lower()} on {spoken(advocacy.answered_on)}")
    if advocacy.referred_on:
        steps.append(f"Referred to {advocacy.referred_to} for an advocate on {spoken(advocacy.referred_on)}")
    if advocacy.in_place_on:
        steps.append(f"Advocate in place from {spoken(advocacy.in_place_on)}: {advocacy.advocate_name}")
    return steps


def offered_on_the_form(record: Feedback) -> Advocacy | None:
    """The young person's form asks "Would you like an advocate?": that is the offer,
    made the day it arrived, and the answer. None for other forms."""
    if not record.young_persons_form or record.kind != "initial_contact":
        return None
    answer = AdvocacyAnswer.ACCEPTED if record.advocate_requested else AdvocacyAnswer.DECLINED
    advocacy = Advocacy(offered_on=record.received_on, offered_how=AdvocacyOfferMethod.YOUNG_PERSONS_FORM.value,
                        answer=answer.value, answered_on=record.received_on)
    record.advocacy = advocacy
    return advocacy
