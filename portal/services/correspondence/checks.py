"""The check before sending (issue 18, 4): what it finds, and what may still go.

- Placeholders and fields with no value: refused, always. Nothing goes until they are gone.
- A stage response: every element has a finding (its outcome; the procedures' own rule,
  issue 5, so no override either), the response mentions each element, and it states the
  next stage and the date by which to ask for it, or, where the procedure ends, the
  Ombudsman's details. An extension: the reason and the new date, as the Complaint
  Handling Code asks, and for a corporate stage under the Code the Ombudsman's details. A
  decision not to accept a complaint: the reason recorded and the Ombudsman's details. Each of these (but the findings) is a required part: it blocks
  sending unless a feedback manager overrides it with a reason, which is audited.
- Reading age and jargon warn (readability.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app

from portal.models import Feedback, Stage
from portal.services.common import placeholders
from portal.services.common.dates import spoken
from portal.services.procedures import extensions, rules
from portal.services.procedures.responses import OMBUDSMAN_CONTACT, next_step
from portal.services.correspondence import readability
from portal.services.correspondence.readability import Jargon

MISSING = re.compile(r"\[no value: ([^\]\n]+)\]")
RESPONSES = {"stage1_response": 1, "stage2_response": 2, "stage3_response": 3}


@dataclass(frozen=True)
class Problem:
    message: str
    overridable: bool  # a required part a feedback manager may send without
    # Where on the case page it is put right (an element's finding, the extension), if there.
    anchor: str | None = None
    fix: str | None = None


@dataclass
class Check:
    problems: list[Problem] = field(default_factory=list)
    reading_age: int | None = None
    target: int = 0
    young_person: bool = False
    longest: list[str] = field(default_factory=list)
    jargon: list[Jargon] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.problems)

    @property
    def overridable(self) -> bool:
        """Blocked only by required parts, which a feedback manager may override."""
        return self.blocked and all(p.overridable for p in self.problems)

    @property
    def too_hard(self) -> bool:
        return self.reading_age is not None and self.reading_age > self.target


def reading_target(record: Feedback | None, audience: str) -> tuple[int, bool]:
    young = audience == "young" or readability.is_young_person(record)
    config = current_app.config
    return (config["LETTER_READING_AGE_YOUNG"] if young else config["LETTER_READING_AGE"]), young


def check_letter(record: Feedback | None, purpose: str, text: str, *, channel: str, audience: str,
                 stage: Stage | None, sent_on) -> Check:
    """Everything the check before sending says about ``text``."""
    check = Check()
    body = text or ""
    # What the case lacks first (an element with no finding), then what the text lacks.
    if purpose in RESPONSES:
        check.problems += _stage_response(record, RESPONSES[purpose], stage, body, channel, sent_on)
    elif purpose == "extension":
        check.problems += _extension(stage, body)
    elif purpose == "not_accepted":
        check.problems += _not_accepted(record, body)
    for path in dict.fromkeys(MISSING.findall(body)):
        check.problems.append(Problem(f"There is no value for {path} yet: fill it in on the case, "
                                      "or write the words yourself", False))
    left = placeholders.problem(MISSING.sub("", body))
    if left:
        check.problems.append(Problem(left, False))
    if not body.strip():
        check.problems.append(Problem("Enter the letter", False))
    check.target, check.young_person = reading_target(record, audience)
    check.reading_age = readability.reading_age(body)
    if check.too_hard:
        check.longest = readability.longest_sentences(body)
    check.jargon = readability.jargon_in(body)
    return check


def _stage_response(record, number: int, stage: Stage | None, body: str, channel: str, sent_on) -> list[Problem]:
    if stage is None or stage.number != number:
        return [Problem(f"This case has no Stage {number} to respond to", False)]
    problems = []
    for element in stage.elements:
        if not element.outcome:
            problems.append(Problem(f"Element {element.number} (\u2018{element.summary}\u2019) has no finding: "
                                    "record its outcome on the case page first", False,
                                    f"element-{element.number}", f"Record the finding of element {element.number}"))
        elif element.summary and element.summary.casefold() not in body.casefold():
            problems.append(Problem(f"The response does not say what we found about element {element.number} "
                                    f"(\u2018{element.summary}\u2019)", True))
    step = next_step(stage, sent_on, "email" if channel == "email" else "post")
    if step.deadline is not None:
        following = rules.stage_name(record.procedure, step.next_stage)
        if following.casefold() not in body.casefold() or spoken(step.deadline) not in body:
            problems.append(Problem(f"The response must say they can ask for {following} by "
                                    f"{spoken(step.deadline)}", True))
    elif "Ombudsman" not in body or OMBUDSMAN_CONTACT not in body:
        problems.append(Problem("This is the end of the procedure: the response must give the "
                                f"Ombudsman's details ({OMBUDSMAN_CONTACT})", True))
    return problems


def _extension(stage: Stage | None, body: str) -> list[Problem]:
    if stage is None or stage.extended_to is None:
        return [Problem("Record the extension on the case first: its reason and the new date", True,
                        "procedure", "Record the extension")]
    problems = []
    if spoken(stage.extended_to) not in body:
        problems.append(Problem(f"The letter must give the new date, {spoken(stage.extended_to)}", True))
    reason = (stage.extension_reason or "").strip()
    if not reason or " ".join(reason.split()).casefold() not in " ".join(body.split()).casefold():
        problems.append(Problem("The letter must give the reason for the extension", True))
    if extensions.tells_ombudsman(stage) and ("Ombudsman" not in body or OMBUDSMAN_CONTACT not in body):
        problems.append(Problem("Under the Complaint Handling Code the letter must give the Ombudsman's "
                                f"details ({OMBUDSMAN_CONTACT})", True))
    return problems


def _not_accepted(record: Feedback | None, body: str) -> list[Problem]:
    """A decision not to accept a complaint: recorded on the case, its reason given, and
    the Ombudsman's details (the Complaint Handling Code)."""
    if record is None or record.not_accepted_on is None:
        return [Problem("Record the decision not to accept it on the case first: its reason", True,
                        "not-accepted", "Record the decision")]
    problems = []
    detail = " ".join((record.not_accepted_detail or "").split())
    if detail.casefold() not in " ".join(body.split()).casefold():
        problems.append(Problem("The letter must give the reason it was not accepted, as recorded on the case", True))
    if "Ombudsman" not in body or OMBUDSMAN_CONTACT not in body:
        problems.append(Problem(f"The letter must give the Ombudsman's details ({OMBUDSMAN_CONTACT})", True))
    return problems
