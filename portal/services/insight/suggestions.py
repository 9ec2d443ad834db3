"""What triage is offered for a record: the three likeliest themes and teams, and taking one.

Issue 22, "Suggestions at triage". A suggestion is only ever offered: nothing here sets a
record's theme or team unless a member of staff presses to accept it, and that goes
through ``decisions.classify`` like any other classification, with its version checked and
an audit entry saying which suggestion (its rank and confidence) was taken. The
safeguarding flag is never read or set here: the safeguarding rule decides it
(``intake.submissions``, ``triage.decisions``), whatever the model says. Setting a theme
or team by hand while a suggestion was on offer is audited too, as a suggestion changed,
so the administrator's page can say how often staff agreed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Feedback, StaffUser, Team, Theme
from portal.services.common import audit
from portal.services.common.errors import Refused, check_version
from portal.services.insight import store
from portal.services.insight.model import Suggestion, text_of
from portal.services.triage import decisions

ACCEPTED = "insight_suggestion_accepted"
CHANGED = "insight_suggestion_changed"
FIELDS = ("theme", "team")


@dataclass(frozen=True)
class Offer:
    """What is offered for one record, or why nothing is."""

    themes: list[Suggestion] = field(default_factory=list)
    teams: list[Suggestion] = field(default_factory=list)
    why_none: str | None = None

    def of(self, which: str) -> list[Suggestion]:
        return self.themes if which == "theme" else self.teams


def why_no_model(folder: str) -> str:
    about = store.about(folder)
    if about and about.get("status") == "too_few":
        return (f"No suggestions yet: the model learns from closed records with a team and a theme, "
                f"and there are {about['records']} of the {about['minimum']} it needs.")
    if about and about.get("status") == "trained":  # the file is there but refused
        return ("No suggestions yet: the stored model was made by an earlier version of the portal. "
                "The worker trains a new one tonight.")
    return "No suggestions yet: the model has not been trained. The worker trains it each night."


def offer(record: Feedback, folder: str) -> Offer:
    model = store.load(folder)
    if model is None:
        return Offer(why_none=why_no_model(folder))
    text = text_of(record.summary, record.desired_outcome)
    if not text.strip():
        return Offer(why_none="No suggestions: this record has no text to read.")
    return Offer(themes=model["theme"].suggest(text), teams=model["team"].suggest(text))


def for_rows(ids: list[int], folder: str) -> dict[int, dict[str, Suggestion]]:
    """For the inbox: each listed initial contact or complaint without a theme or a team,
    its first suggestion for what is missing, worked out for the whole page at once."""
    model = store.load(folder)
    if model is None or not ids:
        return {}
    rows = db.session.execute(
        select(Feedback.id, Feedback.summary, Feedback.desired_outcome, Feedback.theme_id, Feedback.team_id)
        .where(Feedback.id.in_(ids), Feedback.kind.in_(("initial_contact", "complaint")),
               Feedback.purged_at.is_(None), (Feedback.theme_id.is_(None)) | (Feedback.team_id.is_(None)))).all()
    rows = [r for r in rows if text_of(r.summary, r.desired_outcome).strip()]
    texts = [text_of(r.summary, r.desired_outcome) for r in rows]
    themes, teams = model["theme"].first(texts), model["team"].first(texts)
    out: dict[int, dict[str, Suggestion]] = {}
    for row, theme, team in zip(rows, themes, teams):
        missing = {}
        if row.theme_id is None:
            missing["theme"] = theme
        if row.team_id is None:
            missing["team"] = team
        out[row.id] = missing
    return out


def _named(which: str, name: str):
    model = Theme if which == "theme" else Team
    return db.session.scalar(select(model).where(model.name == name, model.active.is_(True)))


def accept(record: Feedback, which: str, name: str, actor: StaffUser, expected_version: int | None,
           folder: str) -> None:
    """Set the record's theme or team to a suggestion on offer now; audited with its rank."""
    if which not in FIELDS:
        raise Refused("Choose a theme or a team suggestion", "name")
    check_version(record, expected_version)
    offered = offer(record, folder).of(which)
    rank = next((i for i, s in enumerate(offered, 1) if s.name == name), None)
    chosen = _named(which, name) if rank else None
    if chosen is None:
        raise Refused("That suggestion is no longer offered. Choose from the list", "name")
    team_id = chosen.id if which == "team" else record.team_id
    theme_id = chosen.id if which == "theme" else record.theme_id
    decisions.classify(record, actor, expected_version, category=record.category, team_id=team_id, theme_id=theme_id)
    audit.record(actor, ACCEPTED, "feedback", record.id,
                 new={"field": which, "value": name, "rank": rank,
                      "confidence": round(offered[rank - 1].confidence, 3)})


def note_classification(record: Feedback, actor: StaffUser, folder: str, *,
                        team_before: int | None, theme_before: int | None) -> None:
    """After staff classified a record by hand: for each of theme and team they changed to
    something other than the first suggestion, an audit entry that the suggestion was changed
    (and choosing the first suggestion by hand counts as accepting it)."""
    changed = [(w, before, getattr(record, f"{w}_id")) for w, before in (("theme", theme_before), ("team", team_before))]
    changed = [(w, after) for w, before, after in changed if after is not None and after != before]
    if not changed:
        return
    current = offer(record, folder)
    for which, after in changed:
        offered = current.of(which)
        if not offered:
            continue
        chosen = db.session.get(Theme if which == "theme" else Team, after)
        action = ACCEPTED if chosen.name == offered[0].name else CHANGED
        audit.record(actor, action, "feedback", record.id,
                     new={"field": which, "value": chosen.name, "rank": 1 if action == ACCEPTED else None,
                          "suggested": offered[0].name, "by_hand": True})


def acceptance() -> dict[str, dict[str, int]]:
    """From the audit trail: for theme and team, how many suggestions were accepted and
    how many changed."""
    out = {which: {"accepted": 0, "changed": 0} for which in FIELDS}
    rows = db.session.execute(select(AuditEntry.action, AuditEntry.new).where(
        AuditEntry.action.in_((ACCEPTED, CHANGED))))
    for action, new in rows:
        which = (new or {}).get("field")
        if which in out:
            out[which]["accepted" if action == ACCEPTED else "changed"] += 1
    return out
