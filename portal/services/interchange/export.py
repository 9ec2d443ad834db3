"""Export every feedback record and contact restriction in the interchange format.

The file is stable, so that export, import into an empty database and export again give
the same bytes:

- feedback records in order of reference, then contact restrictions in order of letter
  date and person (email, else name; then name, phone). Strings are ordered by code point
  (``COLLATE "C"`` on PostgreSQL, SQLite's own binary order), never by a locale;
- keys in the order FORMAT.md lists them (``FEEDBACK_KEYS`` and the others below);
- a key is written only when it says something: nulls, empty lists, ``false`` and a
  ``paused_working_days`` of 0 are left out, since the format reads a missing key as null,
  an empty list, false and 0. Required keys are always written (``complaint.stages`` even
  when empty, a compliment's ``compliment`` object even when ``{}``);
- the object of the record's kind only: ``compliment`` for a compliment,
  ``initial_contact`` for an initial contact (an outcome not yet recorded is ``open``),
  ``complaint`` for a complaint or for any record in a procedure;
- dates ``YYYY-MM-DD``; money a string with two decimals (``"1300.00"``) from whole pence;
- one JSON object a line, UTF-8 (not ``\\u`` escapes), no spaces between tokens, ``\\n``
  after every line.

Memory stays bounded: feedback is read ``CHUNK`` records at a time from one streamed query,
with the children of each chunk fetched together.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Team, Theme
from portal.services.interchange.tables import (ACTION, ELEMENT, ENQUIRY, FEEDBACK, PAYMENT, PERSON,
                                                 RECOMMENDATION, RESTRICTION, STAGE)

CHUNK = 500

ACTION_STAGES = {"1": 1, "2": 2, "3": 3, "ombudsman": "ombudsman"}


@dataclass
class Counts:
    feedback: int = 0
    restrictions: int = 0
    documents: int = 0  # version 2 only


def export(out: IO[str], progress: Callable[[int], Any] | None = None) -> Counts:
    """Write every record to ``out`` (a text stream) and say how many of each were written.

    On PostgreSQL the export reads one snapshot (REPEATABLE READ), so records changed while
    it runs cannot appear half old, half new.
    """
    snapshot = db.engine.dialect.name == "postgresql" and not db.session().in_transaction()
    if snapshot:
        db.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    counts = Counts()
    try:
        for line in feedback_lines():
            out.write(line)
            counts.feedback += 1
            if progress:
                progress(1)
        for line in restriction_lines():
            out.write(line)
            counts.restrictions += 1
            if progress:
                progress(1)
    finally:
        if snapshot:
            db.session.rollback()
    return counts


def total() -> int:
    """How many lines an export will write (for a progress bar)."""
    feedback = db.session.scalar(select(func.count()).select_from(FEEDBACK))
    restrictions = db.session.scalar(select(func.count()).select_from(RESTRICTION))
    return feedback + restrictions


def dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _codepoint_order(column):
    """Order strings by code point, whatever the database's locale."""
    return column.collate("C") if db.engine.dialect.name == "postgresql" else column


def feedback_lines(extra=None) -> Iterator[str]:
    """Every feedback line, in order of reference. ``extra`` adds a later version's keys at
    the end of each line (version 2's child and advocacy: ``children.ChildParts``): its
    ``fetch`` is asked once a chunk, its ``parts`` once a record."""
    teams = dict(db.session.execute(select(Team.id, Team.name)).tuples().all())
    themes = dict(db.session.execute(select(Theme.id, Theme.name)).tuples().all())
    query = (
        select(FEEDBACK, PERSON.c.name.label("person_name"), PERSON.c.email.label("person_email"),
               PERSON.c.phone.label("person_phone"))
        .outerjoin(PERSON, PERSON.c.id == FEEDBACK.c.person_id)
        .order_by(_codepoint_order(FEEDBACK.c.reference))
        .execution_options(yield_per=CHUNK)
    )
    result = db.session.execute(query)
    for chunk in result.partitions():
        children = _Children([row.id for row in chunk], themes)
        fetched = extra.fetch(chunk) if extra is not None else None
        for row in chunk:
            line = _feedback(row, teams, themes, children)
            if extra is not None:
                line.update(_compact(extra.parts(row, fetched)))
            yield dumps(line)


class _Children:
    """The stages, elements, enquiries, payments and actions of a chunk of feedback."""

    def __init__(self, ids: list[int], themes: dict[int, str]) -> None:
        self.stages = _grouped(STAGE, STAGE.c.feedback_id, ids, STAGE.c.number)
        stage_ids = [s.id for stages in self.stages.values() for s in stages]
        self.elements = _grouped(ELEMENT, ELEMENT.c.stage_id, stage_ids, ELEMENT.c.number)
        self.enquiries = _grouped(ENQUIRY, ENQUIRY.c.feedback_id, ids, ENQUIRY.c.id)
        enquiry_ids = [e.id for enquiries in self.enquiries.values() for e in enquiries]
        self.recommendations = _grouped(RECOMMENDATION, RECOMMENDATION.c.enquiry_id, enquiry_ids,
                                        RECOMMENDATION.c.id)
        self.payments = _grouped(PAYMENT, PAYMENT.c.feedback_id, ids, PAYMENT.c.id)
        self.actions = _grouped(ACTION, ACTION.c.feedback_id, ids, ACTION.c.id)


def _grouped(table, key, ids: list[int], order) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    if ids:
        for row in db.session.execute(select(table).where(key.in_(ids)).order_by(key, order)):
            groups[row._mapping[key.name]].append(row)
    return groups


def _compact(pairs: Iterable[tuple[str, Any]], required: tuple[str, ...] = ()) -> dict:
    """The pairs that say something (not null, empty or false), and the required ones."""
    return {k: v for k, v in pairs if k in required or not (v is None or v is False or v == [])}


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _money(pence: int | None) -> str | None:
    if pence is None:
        return None
    return f"{pence // 100}.{pence % 100:02d}"


def _feedback(row, teams: dict[int, str], themes: dict[int, str], children: _Children) -> dict:
    kind = row.kind
    submitter = _compact([
        ("role", row.submitter_role),
        ("name", row.person_name),
        ("email", row.person_email),
        ("phone", row.person_phone),
        ("age", row.submitter_age),
    ], required=("role",))
    compliment = initial_contact = complaint = None
    if kind == "compliment":
        compliment = _compact([
            ("named_staff", list(row.named_staff or [])),
            ("shared_on", _date(row.shared_on)),
            ("publish_consent", row.publish_consent),
            ("anonymised_text", row.anonymised_text),
        ])
    if kind == "initial_contact":
        initial_contact = _compact([
            ("category", row.category),
            ("outcome", row.outcome or "open"),
            ("outcome_on", _date(row.outcome_on)),
            ("resolution", row.resolution),
        ])
    if kind == "complaint" or row.procedure is not None:
        stages = [_stage(s, teams, themes, children) for s in children.stages.get(row.id, [])]
        complaint = _compact([("procedure", row.procedure), ("stages", stages)], required=("stages",))
    return _compact([
        ("type", "feedback"),
        ("reference", row.reference),
        ("kind", kind),
        ("received_on", _date(row.received_on)),
        ("channel", row.channel),
        ("submitter", submitter),
        ("team", teams.get(row.team_id)),
        ("theme", themes.get(row.theme_id)),
        ("summary", row.summary),
        ("desired_outcome", row.desired_outcome),
        ("formal_complaint_requested", row.formal_complaint_requested),
        ("on_behalf_of_child", row.on_behalf_of_child),
        ("advocate_requested", row.advocate_requested),
        ("safeguarding_concern", row.safeguarding_concern),
        ("compliment", compliment),
        ("initial_contact", initial_contact),
        ("complaint", complaint),
        ("ombudsman", [_enquiry(e, children) for e in children.enquiries.get(row.id, [])]),
        ("payments", [_payment(p) for p in children.payments.get(row.id, [])]),
        ("actions", [_action(a) for a in children.actions.get(row.id, [])]),
    ])


def _stage(row, teams: dict[int, str], themes: dict[int, str], children: _Children) -> dict:
    elements = [
        _compact([
            ("number", e.number),
            ("summary", e.summary),
            ("theme", themes.get(e.theme_id)),
            ("outcome", e.outcome),
        ])
        for e in children.elements.get(row.id, [])
    ]
    return _compact([
        ("stage", row.number),
        ("started_on", _date(row.started_on)),
        ("team", teams.get(row.team_id)),
        ("theme", themes.get(row.theme_id)),
        ("officer", row.officer),
        ("investigating_officer", row.investigating_officer),
        ("independent_person", row.independent_person),
        ("statement_agreed_on", _date(row.statement_agreed_on)),
        ("extended_to", _date(row.extended_to)),
        ("extension_reason", row.extension_reason),
        ("paused_working_days", row.paused_working_days or None),
        ("late_request_reason", row.late_request_reason),
        ("panel_members", list(row.panel_members or [])),
        ("panel_met_on", _date(row.panel_met_on)),
        ("panel_report_on", _date(row.panel_report_on)),
        ("responded_on", _date(row.responded_on)),
        ("elements", elements),
    ])


def _enquiry(row, children: _Children) -> dict:
    recommendations = [
        _compact([
            ("text", r.text),
            ("due_on", _date(r.due_on)),
            ("complied_on", _date(r.complied_on)),
            ("compliance", r.compliance),
        ])
        for r in children.recommendations.get(row.id, [])
    ]
    return _compact([
        ("reference", row.reference),
        ("notified_on", _date(row.notified_on)),
        ("status", row.status),
        ("decision", row.decision),
        ("decided_on", _date(row.decided_on)),
        ("remedy_amount", _money(row.remedy_pence)),
        ("recommendations", recommendations),
    ])


def _payment(row) -> dict:
    return _compact([
        ("kind", row.kind),
        ("amount", _money(row.amount_pence)),
        ("paid_on", _date(row.paid_on)),
        ("description", row.description),
        ("decided_by", row.decided_by),
    ])


def _action(row) -> dict:
    return _compact([
        ("recommendation", row.recommendation),
        ("stage", ACTION_STAGES.get(row.source, row.source)),
        ("owner", row.owner),
        ("raised_on", _date(row.raised_on)),
        ("due_on", _date(row.due_on)),
        ("status", row.status),
        ("completed_on", _date(row.completed_on)),
        ("completion_note", row.completion_note),
    ])


def restriction_lines() -> Iterator[str]:
    person = func.coalesce(RESTRICTION.c.person_email, RESTRICTION.c.person_name)
    query = (
        select(RESTRICTION)
        .order_by(
            RESTRICTION.c.letter_issued_on,
            _codepoint_order(person),
            _codepoint_order(RESTRICTION.c.person_name),
            _codepoint_order(RESTRICTION.c.person_phone),
            RESTRICTION.c.id,
        )
        .execution_options(yield_per=CHUNK)
    )
    for row in db.session.execute(query):
        yield dumps(_compact([
            ("type", "contact_restriction"),
            ("person", _compact([("name", row.person_name), ("email", row.person_email),
                                 ("phone", row.person_phone)])),
            ("letter_issued_on", _date(row.letter_issued_on)),
            ("restrictions", list(row.restrictions or [])),
            ("reason", row.reason),
            ("decided_by", row.decided_by),
            ("review_on", _date(row.review_on)),
            ("reviewed_on", _date(row.reviewed_on)),
            ("review_result", row.review_result),
        ]))
