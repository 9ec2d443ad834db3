"""What the model learns from, and the nightly training (docs/insight.md).

The model learns from closed initial contacts and complaints whose team and theme staff
set, and never from text that is purged (retention, or a person's erasure: both set
``purged_at``) or held back by a legal hold on the record or on its person. One record in
five (by id, so the same ones every night) is held back from training and scored: those
figures are the live model's, shown on the administrator's page. Below
``INSIGHT_MIN_RECORDS`` no model is kept at all and nothing is suggested. The similar-cases
index is built from every record not purged, open or closed.

Training reads the database and writes ``instance/insight/``; it changes no row, so it
neither takes a version nor commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Team, Theme
from portal.services.common.dates import now_utc
from portal.services.data_protection import holds
from portal.services.insight import store
from portal.services.insight.index import SimilarIndex
from portal.services.insight.model import FORMAT, Classifier, Features, per_label_accuracy, text_of, top_k_accuracy

KINDS = ("initial_contact", "complaint")
HOLD_BACK_EVERY = 5  # one record in five, by id, is scored and not learned from


@dataclass(frozen=True)
class TrainingRecord:
    id: int
    text: str
    theme: str
    team: str


def training_records() -> list[TrainingRecord]:
    """Closed, with a team and a theme, not purged, on no legal hold (record or person)."""
    held_records, held_people = holds.held_ids()
    query = (select(Feedback.id, Feedback.person_id, Feedback.summary, Feedback.desired_outcome,
                    Theme.name, Team.name)
             .join(Theme, Feedback.theme_id == Theme.id).join(Team, Feedback.team_id == Team.id)
             .where(Feedback.status == "closed", Feedback.purged_at.is_(None), Feedback.kind.in_(KINDS))
             .order_by(Feedback.id))
    out = []
    for fid, person_id, summary, desired, theme, team in db.session.execute(query.execution_options(yield_per=5000)):
        if fid in held_records or (person_id is not None and person_id in held_people):
            continue
        text = text_of(summary, desired)
        if text.strip():
            out.append(TrainingRecord(fid, text, theme, team))
    return out


def similar_index() -> SimilarIndex:
    """Every record not purged, for similar cases (who may see which is asked when shown)."""
    rows = db.session.execute(
        select(Feedback.id, Feedback.summary, Feedback.desired_outcome)
        .where(Feedback.purged_at.is_(None), Feedback.kind.in_(KINDS)).order_by(Feedback.id)
        .execution_options(yield_per=5000))
    ids, texts = [], []
    for fid, summary, desired in rows:
        ids.append(fid)
        texts.append(text_of(summary, desired))
    return SimilarIndex(ids, texts)


def train(folder: str, minimum: int, day: date | None = None) -> dict:
    """Train on today's records and store the model; returns what ``about.json`` says."""
    records = training_records()
    about: dict = {"trained_at": now_utc().isoformat(timespec="seconds"), "records": len(records),
                   "minimum": minimum, "day": (day or now_utc().date()).isoformat()}
    learn = [r for r in records if r.id % HOLD_BACK_EVERY]
    held = [r for r in records if not r.id % HOLD_BACK_EVERY]
    if len(records) < minimum or len({r.theme for r in learn}) < 2 or len({r.team for r in learn}) < 2:
        # No model is better than one trained on too little; an old one may have learned
        # from text purged since, so it goes too.
        about["status"] = "too_few"
        store.save(folder, None, about)
        return about
    features = Features([r.text for r in learn])  # once, for both
    theme = Classifier([r.text for r in learn], [r.theme for r in learn], features, features.matrix)
    team = Classifier([r.text for r in learn], [r.team for r in learn], features, features.matrix)
    features.matrix = None  # not stored with the model
    held_texts = [r.text for r in held]
    about.update({
        "status": "trained", "trained_on": len(learn), "held_back": len(held),
        "theme": top_k_accuracy(theme, held_texts, [r.theme for r in held]),
        "team": top_k_accuracy(team, held_texts, [r.team for r in held]),
        "per_theme": per_label_accuracy(theme, held_texts, [r.theme for r in held]),
    })
    index = similar_index()
    about["indexed"] = len(index)
    about["format"] = FORMAT
    store.save(folder, {"format": FORMAT, "theme": theme, "team": team, "similar": index}, about)
    return about


def describe(about: dict | None) -> str:
    """One line for the job's record and the command line."""
    if about is None:
        return "not trained yet"
    if about["status"] == "too_few":
        return (f"not trained: {about['records']} closed records with a team and a theme, "
                f"{about['minimum']} needed")
    return (f"trained on {about['trained_on']} records, {about['held_back']} held back: "
            f"theme top-3 {about['theme']['top3']:.0%}, team top-3 {about['team']['top3']:.0%}")
