"""The Ombudsman's figures and data: the three figures of the Ombudsman's annual letter,
counted from the portal's own enquiries; the Ombudsman's case spreadsheets imported (CSV or
XLSX, the columns mapped once and remembered); and the reconciliation of the two.

The annual letter (Local Government and Social Care Ombudsman) gives, for the decisions it
made in a financial year (April to March):

- the uphold rate: of the complaints it investigated in detail (decided upheld or not
  upheld), the share it upheld;
- compliance with its recommendations: of the upheld complaints with recommendations whose
  compliance is known, the share where every recommendation was complied with (on time or
  late);
- satisfactory remedy provided by the organisation: of the upheld complaints, the share
  where it found the organisation had already put things right before it became involved.

Percentages are exact and rounded half up (``reports.counting.percentage`` rule, repeated
here as the reports package sits above this one). Services never commit.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, OmbudsmanCase, OmbudsmanColumn, OmbudsmanEnquiry, OmbudsmanImport, StaffUser
from portal.services.common import audit
from portal.services.common.dates import read_date
from portal.services.common.errors import Refused
from portal.services.common.labels import OmbudsmanDecision
from portal.services.common.text import plural

# The fields an Ombudsman spreadsheet is read for, with the words the mapping form uses.
FIELDS = {
    "reference": "The Ombudsman's reference",
    "received_on": "Date received",
    "decided_on": "Date decided",
    "decision": "Decision",
    "remedy_complied": "Remedy complied with",
}
REQUIRED = ("reference",)


def in_a_sentence(field: str) -> str:
    """A field's words inside a sentence: the first letter small, the Ombudsman's capital kept."""
    words = FIELDS[field]
    return words[0].lower() + words[1:]
# How the Ombudsman's decision words read as our codes (lower case, punctuation dropped).
DECISION_WORDS = {
    "upheld": "upheld", "upheld maladministration and injustice": "upheld",
    "upheld maladministration no injustice": "upheld", "not upheld": "not_upheld",
    "not upheld no maladministration": "not_upheld",
    "closed after initial enquiries": "closed_after_initial_enquiries",
    "closed after initial enquiries out of jurisdiction": "closed_after_initial_enquiries",
    "closed after initial enquiries no further action": "closed_after_initial_enquiries",
    "referred back for local resolution": "referred_back", "incomplete invalid": "invalid",
    "incomplete or invalid": "invalid", "advice given": "advice_given",
}
MAX_ROWS = 20_000


def _percentage(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    name: str
    part: int
    whole: int
    explained: str

    @property
    def percent(self) -> Decimal | None:
        return _percentage(self.part, self.whole)


def letter_figures(start: date, end: date) -> list[Figure]:
    """The annual letter's three figures for the Ombudsman's decisions made from ``start``
    to ``end``, each with how it was counted."""
    decided = db.session.scalars(select(OmbudsmanEnquiry).where(
        OmbudsmanEnquiry.decided_on.between(start, end), OmbudsmanEnquiry.decision.is_not(None))).all()
    upheld = [e for e in decided if e.decision == OmbudsmanDecision.UPHELD]
    investigated = [e for e in decided if e.decision in (OmbudsmanDecision.UPHELD, OmbudsmanDecision.NOT_UPHELD)]
    known = [e for e in upheld if e.recommendations and all(r.compliance not in (None, "pending")
                                                            for r in e.recommendations)]
    complied = [e for e in known if all(r.compliance in ("on_time", "late") for r in e.recommendations)]
    remedied = [e for e in upheld if e.remedied_before]
    return [
        Figure("Uphold rate", len(upheld), len(investigated),
               f"The Ombudsman investigated {plural(len(investigated), 'complaint')} in detail (decided upheld or not "
               f"upheld) and upheld {len(upheld)}. Complaints closed after initial enquiries, referred back, "
               "incomplete or given advice are not counted."),
        Figure("Compliance with the Ombudsman's recommendations", len(complied), len(known),
               f"Of the {plural(len(known), 'upheld complaint')} whose recommendations have all been settled, every "
               f"recommendation was complied with (on time or late) in {len(complied)}. Upheld complaints "
               "with no recommendations, or with one still waiting, are not counted."),
        Figure("Satisfactory remedy provided before the Ombudsman became involved", len(remedied), len(upheld),
               f"Of the {plural(len(upheld), 'upheld complaint')}, the Ombudsman found in {len(remedied)} that we had "
               "already put things right before it became involved."),
    ]


# --- Importing the Ombudsman's spreadsheets ----------------------------------------------


def read_sheet(filename: str, content: bytes) -> tuple[list[str], list[list[str]]]:
    """The headings and rows of a CSV or XLSX file, as text."""
    lower = filename.lower()
    if lower.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    elif lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise Refused("The file could not be read as a spreadsheet: save it again as XLSX or CSV",
                          "file") from error
        rows = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)
                if any(cell not in (None, "") for cell in row)]
    else:
        raise Refused("The file must be a CSV or XLSX spreadsheet", "file")
    if not rows:
        raise Refused("The file is empty", "file")
    if len(rows) > MAX_ROWS:
        raise Refused(f"The file must have {MAX_ROWS:,} rows or fewer", "file")
    headings = [cell.strip() for cell in rows[0]]
    return headings, [row + [""] * (len(headings) - len(row)) for row in rows[1:]]


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()


def remembered_columns() -> dict[str, str]:
    return {row.field: row.heading for row in db.session.scalars(select(OmbudsmanColumn))}


def suggested_columns(headings: list[str]) -> dict[str, str]:
    """The mapping offered for a file: the one remembered where its headings are in the file,
    else a heading that names the field."""
    remembered = remembered_columns()
    suggested = {}
    for field, words in FIELDS.items():
        if remembered.get(field) in headings:
            suggested[field] = remembered[field]
            continue
        wanted = {"reference": ("reference", "ref"), "received_on": ("received",), "decided_on": ("decided", "decision date"),
                  "decision": ("decision",), "remedy_complied": ("complied", "compliance")}[field]
        for heading in headings:
            if any(word in heading.lower() for word in wanted) and heading not in suggested.values():
                if field == "decision" and "date" in heading.lower():
                    continue
                suggested[field] = heading
                break
    return suggested


def read_decision(text: str) -> str | None:
    words = re.sub(r"[^a-z ]+", " ", text.lower())
    words = re.sub(r"\s+", " ", words).strip()
    if words in OmbudsmanDecision.codes():
        return words
    return DECISION_WORDS.get(words)


def import_cases(filename: str, content: bytes, columns: dict[str, str], actor: StaffUser) -> OmbudsmanImport:
    """Import the Ombudsman's spreadsheet with ``columns`` ({field: heading}), and remember
    the mapping for next time. Refused, with nothing changed, when the reference column is
    not mapped or a heading is not in the file; a row without a reference is skipped."""
    headings, rows = read_sheet(filename, content)
    for field in REQUIRED:
        if not columns.get(field):
            raise Refused(f"Choose the column that holds {in_a_sentence(field)}", field)
    for field, heading in columns.items():
        if field not in FIELDS:
            raise Refused("Choose a column for each field from the list", "reference")
        if heading and heading not in headings:
            raise Refused(f"The file has no column called {heading!r}", field)
    index = {field: headings.index(heading) for field, heading in columns.items() if heading}
    batch = OmbudsmanImport(filename=filename[:200], imported_by_id=actor.id)
    for row in rows:
        cell = {field: row[i].strip() for field, i in index.items()}
        if not cell.get("reference"):
            continue
        decision_text = cell.get("decision") or None
        batch.cases.append(OmbudsmanCase(
            reference=cell["reference"][:60], received_on=read_date(cell.get("received_on", "")),
            decided_on=read_date(cell.get("decided_on", "")), decision_text=(decision_text or "")[:200] or None,
            decision=read_decision(decision_text) if decision_text else None,
            remedy_complied=(cell.get("remedy_complied") or "")[:200] or None, extra=cell))
    db.session.add(batch)
    for field in FIELDS:
        stored = db.session.get(OmbudsmanColumn, field)
        heading = columns.get(field) or ""
        if heading and stored is None:
            db.session.add(OmbudsmanColumn(field=field, heading=heading))
        elif heading:
            stored.heading = heading
        elif stored is not None:
            db.session.delete(stored)
    db.session.flush()
    audit.record(actor, "ombudsman_import", "ombudsman_import", str(batch.id),
                 new={"filename": batch.filename, "rows": len(batch.cases)})
    return batch


# --- Reconciliation ------------------------------------------------------------------------


@dataclass
class Difference:
    reference: str
    theirs: str
    ours: str
    case_reference: str | None = None


def reconcile() -> dict[str, list[Difference]]:
    """What the latest import of each Ombudsman reference says beside the portal's
    enquiries: cases they have that we lack, decisions that differ, and, for every enquiry
    the portal holds, recommendations it shows as not yet complied with."""
    latest: dict[str, OmbudsmanCase] = {}
    for case in db.session.scalars(select(OmbudsmanCase).order_by(OmbudsmanCase.import_id, OmbudsmanCase.id)):
        latest[_key(case.reference)] = case
    ours = {_key(e.reference): e for e in db.session.scalars(
        select(OmbudsmanEnquiry).join(Feedback, OmbudsmanEnquiry.feedback_id == Feedback.id))}
    missing, differ, not_complied = [], [], []
    for key, case in sorted(latest.items()):
        enquiry = ours.get(key)
        theirs = case.decision_text or "No decision yet"
        if enquiry is None:
            missing.append(Difference(case.reference, theirs, "Not in the portal"))
            continue
        if case.decision is not None and case.decision != enquiry.decision:
            differ.append(Difference(case.reference, theirs,
                                     OmbudsmanDecision.words_of(enquiry.decision) if enquiry.decision
                                     else "No decision recorded", enquiry.feedback.reference))
        elif case.decision is None and case.decision_text:
            differ.append(Difference(case.reference, f"{theirs} (not a decision the portal knows)",
                                     OmbudsmanDecision.words_of(enquiry.decision) if enquiry.decision
                                     else "No decision recorded", enquiry.feedback.reference))
    for key, enquiry in sorted(ours.items()):
        waiting = [r for r in enquiry.recommendations if r.compliance in (None, "pending", "not_complied")]
        if waiting:
            if key in latest:
                theirs = latest[key].remedy_complied or "Nothing about the remedy"
            else:
                theirs = "Not in their spreadsheets"
            not_complied.append(Difference(
                enquiry.reference, theirs,
                f"{len(waiting)} of {plural(len(enquiry.recommendations), 'recommendation')} not yet complied with",
                enquiry.feedback.reference))
    return {"missing": missing, "differ": differ, "not_complied": not_complied}


def _key(reference: str) -> str:
    """A reference as compared: capitals and digits only, without the Ombudsman's name in front.
    Its spreadsheets write "26 004 512", where staff may have written "LGSCO 26 004 512" (or
    "LGO", its old name, or "26/004/512")."""
    key = re.sub(r"[^0-9A-Z]+", "", reference.upper())
    return re.sub(r"^(LGSCO|LGO)(?=\d)", "", key)
