"""The case page's Insight panel: what triage is offered, and similar past cases."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app
from flask_login import current_user

from portal.services.insight import similar, suggestions
from staff.case.panel import CaseView, Panel
from staff.insight.forms import AcceptSuggestionForm


def insight(case: CaseView) -> dict:
    folder = current_app.config["INSIGHT_PATH"]
    record = case.record
    cases = similar.similar_cases(record, folder, viewer=current_user)
    remedies = [Decimal(p.amount_pence) / 100 for p in record.payments if p.kind == "financial_remedy"]
    notes = [note for note in (similar.payment_note(amount, cases) for amount in remedies) if note]
    return {"offer": suggestions.offer(record, folder), "similar_cases": cases, "payment_notes": notes,
            "accept_form": case.form("suggestion", lambda: AcceptSuggestionForm(formdata=None))}


INSIGHT = Panel("insight", "staff/case/_insight.html", insight,
                shown=lambda record: record.kind in ("initial_contact", "complaint") and record.purged_at is None)
