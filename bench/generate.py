"""Invented feedback records in bulk, for benchmarks (not demo data: fast, not pretty).

Rows go in with Core inserts in batches, so 100,000 records take seconds. On SQLite a
batch is a few multi-row INSERTs rather than an executemany of one statement a row: the
search index's FTS5 tables (migration 0008) write a segment at every statement.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from portal.extensions import db
from portal.models import Child, Element, Feedback, Person, Stage, Team, Theme
from portal.services.common.labels import ElementOutcome

WORDS = ("taxi late school transport social worker plan meeting review letter call back "
         "respite allowance contact EHC assessment placement carer visit report delay").split()
BATCH = 5000
OUTCOMES = list(ElementOutcome.codes())


def _insert(model, rows: list[dict]) -> None:
    if db.session.get_bind().dialect.name != "sqlite":
        db.session.execute(insert(model), rows)
        return
    per_statement = 32_000 // len(rows[0])  # SQLite takes up to 32,766 parameters
    for start in range(0, len(rows), per_statement):
        db.session.execute(insert(model).values(rows[start:start + per_statement]))


def fill(records: int, end: date, years: int = 1, seed: int = 7) -> None:
    """Add ``records`` feedback records received over ``years`` years up to ``end``."""
    rng = random.Random(seed)
    team_ids = list(db.session.scalars(select(Team.id)))
    theme_ids = list(db.session.scalars(select(Theme.id)))
    span = years * 365
    people = max(records // 3, 1)
    for start in range(0, people, BATCH):
        _insert(Person, [
            {"name": f"Person {i}", "email": f"person{i}@example.org", "phone": f"0770090{i % 10000:04d}",
             "phone_key": f"0770090{i % 10000:04d}"}
            for i in range(start, min(start + BATCH, people))
        ])
    person_ids = list(db.session.scalars(select(Person.id)))
    # Half the records name a child, each child about two cases (issue 20).
    children = max(records // 4, 1)
    for start in range(0, children, BATCH):
        _insert(Child, [
            {"name": f"Child {i}", "record_number": f"LL-{i:06d}", "statuses": [],
             "date_of_birth": date(2006, 1, 1) + timedelta(days=rng.randrange(18 * 365))}
            for i in range(start, min(start + BATCH, children))
        ])
    child_ids = list(db.session.scalars(select(Child.id)))
    for start in range(0, records, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, records)):
            received = end - timedelta(days=rng.randrange(span))
            kind = rng.choices(("compliment", "initial_contact", "complaint"), (3, 5, 2))[0]
            open_ = rng.random() < 0.2
            rows.append({
                "reference": f"CF-{received.year}-{i + 1:06d}",
                "kind": kind, "status": "open" if open_ else "closed", "received_on": received,
                "channel": rng.choice(("web", "email", "phone", "letter")),
                "person_id": rng.choice(person_ids), "submitter_role": "parent_or_carer",
                "child_id": rng.choice(child_ids) if rng.random() < 0.5 else None,
                "team_id": rng.choice(team_ids), "theme_id": rng.choice(theme_ids),
                "summary": " ".join(rng.choices(WORDS, k=12)),
                "outcome": ("open" if open_ else "resolved") if kind == "initial_contact" else None,
                "procedure": rng.choice(("statutory", "corporate")) if kind == "complaint" else None,
                "due_on": received + timedelta(days=14) if open_ else None,
                "contact_methods": [], "named_staff": [], "version": 1,
                "formal_complaint_requested": rng.random() < 0.1,
                "safeguarding_concern": rng.random() < 0.002,
            })
        _insert(Feedback, rows)
    complaints = db.session.execute(
        select(Feedback.id, Feedback.received_on).where(Feedback.kind == "complaint")).all()
    for start in range(0, len(complaints), BATCH):
        _insert(Stage, [
            {"feedback_id": fid, "number": 1, "started_on": received, "paused_working_days": 0,
             "panel_members": [], "responded_on": received + timedelta(days=rng.randint(5, 30)),
             "team_id": rng.choice(team_ids), "theme_id": rng.choice(theme_ids)}
            for fid, received in complaints[start:start + BATCH]
        ])
    stages = db.session.execute(select(Stage.id)).scalars().all()
    for start in range(0, len(stages), BATCH):
        _insert(Element, [
            {"stage_id": sid, "number": n, "summary": "An element", "theme_id": rng.choice(theme_ids + [None]),
             "outcome": rng.choice(OUTCOMES)}
            for sid in stages[start:start + BATCH] for n in (1, 2)
        ])
    db.session.commit()
