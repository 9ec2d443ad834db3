"""The merge fields a template may use: a fixed list, each with what it says.

A template names ``{{ person.name }}``, ``{{ case.reference }}`` and so on; anything else is
refused when the template is saved (templates.check_template). A field with no value for
this case (a stage with no due date yet, an element with no finding) renders as
``[no value: stage.due_on]``: the preview shows it as missing, and the check before sending
refuses it, as it refuses any other placeholder in square brackets.

docs/letters.md lists the same fields; a test checks the two agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

from portal.models import ContactRestriction, Feedback, Stage, StaffUser
from portal.services.common.dates import spoken
from portal.services.casework import restrictions
from portal.services.common.labels import ElementOutcome, NotAcceptedReason, Procedure, RestrictionCode
from portal.services.procedures import extensions, rules
from portal.services.procedures.responses import OMBUDSMAN, OMBUDSMAN_CONTACT, next_step

# Every field, with what it says (docs/letters.md, "Merge fields").
FIELDS: dict[str, str] = {
    "person.name": "The person's name",
    "person.email": "The person's email address",
    "person.address": "The person's postal address",
    "case.reference": "The case's reference number",
    "case.received_on": "The date it arrived, as 9 January 2034",
    "case.what": "What they sent, in a word: complaint, question, concern, compliment or message",
    "case.procedure": "The complaint procedure, in words",
    "case.is_compliment": "True for a compliment (for {% if %})",
    "case.is_complaint": "True when they asked for a formal complaint (for {% if %})",
    "case.advocate_requested": "True when they asked for an advocate (for {% if %})",
    "case.safeguarding_concern": "True when they said a child may be at risk of harm (for {% if %})",
    "case.referred_to": "Where the case was referred to (a referral elsewhere)",
    "case.resolution": "What was done to resolve it (an initial contact resolved informally)",
    "case.not_accepted_reason": "Why it was not accepted as a complaint, from the list",
    "case.not_accepted_detail": "The reason not to accept it, in the words staff gave the person",
    "stage.number": "The stage's number: 1, 2 or 3",
    "stage.name": "The stage's name, as Stage 2 (independent investigation)",
    "stage.started_on": "The date the stage started (registered or asked for)",
    "stage.due_on": "The date its response is due",
    "stage.extended_to": "The new response date after an extension",
    "stage.extension_reason": "Why the stage was extended",
    "stage.under_the_code": "True for a corporate stage under the Ombudsman's Complaint Handling Code, "
                            "whose extension notice gives the Ombudsman's details (for {% if %})",
    "elements": "The stage's elements, one by one: {% for element in elements %}",
    "element.number": "(inside the loop) the element's number",
    "element.summary": "(inside the loop) what the element is about",
    "element.outcome": "(inside the loop) the finding: Upheld, Partially upheld, Not upheld, ...",
    "next_stage.name": "The next stage's name (none after the last stage)",
    "next_stage.ask_by": "The date by which to ask for the next stage",
    "next_stage.text": "What the person can do next and by when, in full (the next stage, or the Ombudsman)",
    "ombudsman.name": "The Local Government and Social Care Ombudsman",
    "ombudsman.contact": "How to reach the Ombudsman",
    "officer.name": "The name of the member of staff writing",
    "org.name": "The organisation's name (ORG_NAME)",
    "org.phone": "Its phone number (ORG_PHONE)",
    "org.email": "Its email address (ORG_EMAIL)",
    "org.address": "Its postal address (ORG_ADDRESS)",
    "org.website": "Its website (ORG_WEBSITE)",
    "today": "Today's date",
    "how_to_reply": "How to reply: by email for an email, by post or phone for a letter",
    "status_link": "The link to their status page (the acknowledgement email only)",
    "restriction.list": "The restrictions, one by one: {% for item in restriction.list %}",
    "restriction.reason": "Why the restrictions were decided",
    "restriction.contact": "The named contact (who decided, unless the letter says otherwise)",
    "restriction.letter_date": "The date of the restriction letter",
    "restriction.review_on": "The date the restrictions will be reviewed (none once lifted)",
    "restriction.reviewed_on": "The date of the last review",
    "restriction.review_result": "The result of the last review (none while a review is due and not recorded)",
    "restriction.lifted": "True when the last review lifted the restrictions (for {% if %})",
    "restriction.how_to_ask_for_review": "How the person can ask for an earlier review",
}
ROOTS = frozenset(name.split(".")[0] for name in FIELDS if not name.startswith("element."))
# The loops a template may make, and the name of what each item's fields start with.
LOOPS = {"elements": "element", "restriction.list": None}


class Missing:
    """A field with no value for this case: false in an ``{% if %}``, empty in a loop,
    and ``[no value: stage.due_on]`` when printed."""

    def __init__(self, path: str):
        self.path = path

    def __str__(self) -> str:
        return f"[no value: {self.path}]"

    def __bool__(self) -> bool:
        return False

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


class Fields:
    """A group of merge fields (``person``, ``case``...): each named field, or Missing."""

    def __init__(self, root: str, values: dict):
        for name in (n for n in FIELDS if n.startswith(root + ".")):
            key = name.split(".", 1)[1]
            value = values.get(key)
            setattr(self, key, Missing(name) if value is None or value == "" else value)


@dataclass(frozen=True)
class Element:
    number: int
    summary: str
    outcome: object


def _org() -> dict:
    cfg = current_app.config
    return {"name": cfg["ORG_NAME"], "phone": cfg["ORG_PHONE"], "email": cfg["ORG_EMAIL"],
            "address": cfg["ORG_ADDRESS"], "website": cfg["ORG_WEBSITE"]}


def what_they_sent(record: Feedback) -> str:
    if record.kind == "compliment":
        return "compliment"
    if record.formal_complaint_requested:
        return "complaint"
    return {"query": "question", "concern": "concern"}.get(record.category or "", "message")


def how_to_reply(channel: str) -> str:
    cfg = current_app.config
    if channel == "email":
        return f"reply to this email or phone us on {cfg['ORG_PHONE']}"
    return f"write to us at {cfg['ORG_ADDRESS']}, email {cfg['ORG_EMAIL']} or phone us on {cfg['ORG_PHONE']}"


def stage_fields(stage: Stage | None, sent_on: date, channel: str) -> dict:
    """The stage, its elements and the next step, for a response sent on ``sent_on``."""
    if stage is None:
        return {"stage": Fields("stage", {}), "elements": Missing("elements"),
                "next_stage": Fields("next_stage", {})}
    procedure = stage.feedback.procedure
    elements = [Element(e.number, e.summary,
                        ElementOutcome.words_of(e.outcome) or Missing(f"element {e.number}'s finding"))
                for e in stage.elements]
    step = next_step(stage, sent_on, "email" if channel == "email" else "post")
    return {
        "stage": Fields("stage", {
            "number": stage.number, "name": rules.stage_name(procedure, stage.number),
            "started_on": spoken(stage.started_on), "due_on": spoken(stage.due_on),
            "extended_to": spoken(stage.extended_to), "extension_reason": stage.extension_reason,
            "under_the_code": extensions.tells_ombudsman(stage)}),
        "elements": elements,
        "next_stage": Fields("next_stage", {
            "name": rules.stage_name(procedure, step.next_stage) if step.next_stage else None,
            "ask_by": spoken(step.deadline), "text": step.text}),
    }


def restriction_fields(restriction: ContactRestriction | None, sent_on: date) -> dict:
    """What a persistent-contact or review letter says about the restriction. While a
    review is due and not recorded there is no result to tell (the last one is the
    previous review's), so a review letter waits for the review."""
    if restriction is None:
        return {"restriction": Fields("restriction", {})}
    lifted = restrictions.is_lifted(restriction)
    due = restrictions.is_review_due(restriction, sent_on)
    return {"restriction": Fields("restriction", {
        "list": [code.words for code in RestrictionCode if code in (restriction.restrictions or [])] or None,
        "reason": restriction.reason, "contact": restriction.decided_by,
        "letter_date": spoken(restriction.letter_issued_on),
        "review_on": None if lifted else spoken(restriction.review_on),
        "reviewed_on": None if due else spoken(restriction.reviewed_on),
        "review_result": None if due else restriction.review_result,
        "lifted": lifted,
        "how_to_ask_for_review": (f"write to the Customer Feedback Manager at {current_app.config['ORG_ADDRESS']} "
                                  f"or email {current_app.config['ORG_EMAIL']}, saying what has changed"),
    })}


def for_case(record: Feedback | None, *, channel: str, sent_on: date, stage: Stage | None = None,
             officer: StaffUser | None = None, restriction: ContactRestriction | None = None,
             status_link: str | None = None) -> dict:
    """The merge fields' values for a letter about ``record`` (and ``stage``, or a
    ``restriction``), sent on ``sent_on`` by ``channel``."""
    person = record.person if record is not None else (restriction.person if restriction else None)
    values = {
        "person": Fields("person", {
            "name": (person.name if person else None) or (restriction.person_name if restriction else None),
            "email": person.email if person else None, "address": person.address if person else None}),
        "case": Fields("case", {} if record is None else {
            "reference": record.reference, "received_on": spoken(record.received_on),
            "what": what_they_sent(record), "procedure": Procedure.words_of(record.procedure),
            "is_compliment": record.kind == "compliment",
            "is_complaint": bool(record.formal_complaint_requested) or record.kind == "complaint",
            "advocate_requested": bool(record.advocate_requested),
            "safeguarding_concern": bool(record.safeguarding_concern),
            "referred_to": record.referred_to,
            "resolution": record.resolution if record.outcome == "resolved" else None,
            "not_accepted_reason": NotAcceptedReason.words_of(record.not_accepted_reason),
            "not_accepted_detail": record.not_accepted_detail}),
        "ombudsman": Fields("ombudsman", {"name": OMBUDSMAN, "contact": OMBUDSMAN_CONTACT}),
        "officer": Fields("officer", {"name": officer.name if officer else None}),
        "org": Fields("org", _org()),
        "today": spoken(sent_on),
        "how_to_reply": how_to_reply(channel),
        "status_link": status_link or Missing("status_link"),
    }
    # A Fields of booleans: False is a value, not a missing one.
    for key in ("is_compliment", "is_complaint", "advocate_requested", "safeguarding_concern"):
        if isinstance(getattr(values["case"], key), Missing) and record is not None:
            setattr(values["case"], key, False)
    values.update(stage_fields(stage, sent_on, channel))
    values.update(restriction_fields(restriction, sent_on))
    return values


def value_of(values: dict, path: str):
    """The value of the field a ``[no value: path]`` names, or None while it still has
    none: ``stage.due_on``, ``status_link``, or an element's finding (``element 2's finding``)."""
    element = re.fullmatch(r"element (\d+)'s finding", path)
    if element:
        found = next((e for e in values.get("elements") or [] if e.number == int(element.group(1))), None)
        value = found.outcome if found is not None else None
    elif "." in path:
        root, name = path.split(".", 1)
        value = getattr(values.get(root), name, None)
    else:
        value = values.get(path)
    return None if value is None or isinstance(value, Missing) or isinstance(value, (list, bool)) else value


def sample() -> dict:
    """Values for every field, to try a template on when it is saved."""
    values = {}
    for root in ROOTS - {"elements", "today", "how_to_reply", "status_link"}:
        fields = Fields(root, {})
        for name in vars(fields):
            setattr(fields, name, "sample")
        values[root] = fields
    values["case"].is_compliment = False
    values["restriction"].list = ["Written contact only"]
    values["elements"] = [Element(1, "sample", "Upheld"), Element(2, "sample", "Not upheld")]
    values.update(today="1 January 2035", how_to_reply="sample", status_link="sample")
    return values
