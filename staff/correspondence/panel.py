"""The case page's Letters panel: what was sent from a template, newest first, each with
its text, PDF and Word version, and the way to write another."""

from __future__ import annotations

from portal.services.correspondence import letters
from staff.case.panel import CaseView, Panel


def letters_panel(view: CaseView) -> dict:
    return {"letters": letters.for_case(view.record)}


LETTERS = Panel("letters", "staff/case/_letters.html", letters_panel)
