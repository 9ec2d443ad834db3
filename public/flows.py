"""The public forms, each described once: its page, its questions, and how its
answers become a Submission for the portal's core."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for
from markupsafe import Markup, escape
from wtforms import RadioField, SelectField, SelectMultipleField

from portal.services.common.dates import read_date
from portal.services.intake.submissions import Submission
from public.forms import NOT_SURE, ComplaintForm, ComplimentForm, ConcernForm, PublicForm, YoungPersonForm


def _team_id(answers: dict) -> int | None:
    team = answers.get("team")
    return int(team) if team and team != NOT_SURE and str(team).isdigit() else None


def _about(answers: dict) -> dict:
    about = answers.get("about")
    if about in (None, "myself"):
        return {}
    return {
        "on_behalf_of_child": about == "child",
        "on_behalf_of_name": answers.get("about_name") or None,
        "on_behalf_consent": answers.get("about_consent"),
    }


def _contact(answers: dict) -> dict:
    return {
        "name": answers.get("name"),
        "email": answers.get("email"),
        "phone": answers.get("phone"),
        "address": answers.get("address"),
        "contact_methods": answers.get("contact_methods") or [],
    }


def _initial_contact(answers: dict, formal: bool, category: str | None) -> Submission:
    return Submission(
        kind="initial_contact",
        submitter_role=answers["role"],
        summary=answers["summary"],
        category=category,
        formal_complaint_requested=formal,
        team_id=_team_id(answers),
        when_it_happened=answers.get("when_it_happened"),
        desired_outcome=answers.get("desired_outcome"),
        support_needs=answers.get("support_needs"),
        advocate_requested=answers.get("advocate") == "yes",
        safeguarding_concern=answers.get("at_risk") == "yes",
        **_about(answers),
        **_contact(answers),
    )


def concern_submission(answers: dict) -> Submission:
    return _initial_contact(answers, formal=False, category=answers.get("category"))


def complaint_submission(answers: dict) -> Submission:
    return _initial_contact(answers, formal=True, category=None)


def compliment_submission(answers: dict) -> Submission:
    return Submission(
        kind="compliment",
        submitter_role=answers["role"],
        summary=answers["summary"],
        team_id=_team_id(answers),
        named_staff=answers.get("named_staff"),
        publish_consent=answers.get("publish_consent") == "yes",
        name=answers.get("name"),
        email=answers.get("email"),
        contact_methods=["email"] if answers.get("email") else [],
    )


def young_person_submission(answers: dict) -> Submission:
    what = answers["what"]
    common = {
        "submitter_role": answers["role"],
        "summary": answers["summary"],
        "team_id": _team_id(answers),
        "submitter_age": answers.get("age"),
        "young_persons_form": True,
        "advocate_requested": answers.get("advocate") == "yes",
        "safeguarding_concern": answers.get("at_risk") == "yes",
        "desired_outcome": answers.get("desired_outcome"),
        # The young person is the child the case is about, or the one a helper names.
        "child_name": (answers.get("young_name") if answers["role"] == "advocate_or_representative"
                       else answers.get("name")) or None,
        "child_date_of_birth": read_date(answers.get("date_of_birth")),
        **_contact(answers),
    }
    if what == "compliment":
        return Submission(kind="compliment", **common)
    return Submission(
        kind="initial_contact",
        formal_complaint_requested=what == "complaint",
        category="concern" if what == "concern" else None,
        **common,
    )


@dataclass(frozen=True)
class Flow:
    name: str  # endpoint, and the key of the draft
    slug: str  # the page's path
    form_class: type[PublicForm]
    template: str
    noun: str
    to_submission: Callable[[dict], Submission]
    young: bool = False

    def noun_for(self, answers: dict) -> str:
        if self.young:
            return {"compliment": "message", "concern": "message", "complaint": "complaint"}.get(
                answers.get("what"), "message"
            )
        if self.name == "concern":
            return "question" if answers.get("category") == "query" else "concern"
        return self.noun


FLOWS = [
    Flow("compliment", "compliment", ComplimentForm, "public/compliment.html", "compliment", compliment_submission),
    Flow("concern", "question-or-concern", ConcernForm, "public/concern.html", "question or concern", concern_submission),
    Flow("complaint", "complaint", ComplaintForm, "public/complaint.html", "complaint", complaint_submission),
    Flow("young_tell_us", "young-people/tell-us", YoungPersonForm, "public/young_tell_us.html", "message",
         young_person_submission, young=True),
]

NOT_GIVEN = "Not given"


def _display(field) -> str:
    data = field.data
    if isinstance(field, SelectMultipleField):
        chosen = dict(field.choices)
        return ", ".join(chosen.get(v, v) for v in data or []) or NOT_GIVEN
    if isinstance(field, (RadioField, SelectField)):
        return dict(field.choices).get(data, NOT_GIVEN) if data else NOT_GIVEN
    if data in (None, ""):
        return NOT_GIVEN
    return str(data)


def summary_rows(form: PublicForm, flow: Flow) -> list[dict]:
    """GOV.UK summary list rows: each question, its answer, and a link to change it."""
    rows = []
    for name in form.ORDER:
        if name == "files":  # listed on their own, each with a Remove button
            continue
        field = form[name]
        if name in ("about_name", "about_consent") and form.about.data in (None, "myself"):
            continue
        # Each line escaped on its own, joined by line breaks that stay markup.
        answer = Markup("<br>").join(escape(line) for line in _display(field).split("\n"))
        rows.append(
            {
                "key": {"text": field.label.text},
                "value": {"html": answer},
                "actions": {
                    "items": [
                        {
                            "href": url_for(f"public.{flow.name}") + f"#{field.id}",
                            "text": "Change",
                            "visuallyHiddenText": field.label.text.lower(),
                        }
                    ]
                },
            }
        )
    return rows
