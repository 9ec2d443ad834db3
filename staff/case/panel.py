"""What a panel of the case page is: an id, a partial and a view-model.

A panel's view-model is a function of ``CaseView`` that returns what its partial needs,
forms included (each with ids of its own on the page). The page lists its panels in
order (staff/case/page.py); docs/development.md, "Adding a panel to the case page"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from portal.models import Feedback


@dataclass(frozen=True)
class Sent:
    """A form the person sent that was refused: the page shows it, with what they typed
    and its errors, in the place of the fresh form with the same ``key``."""

    key: str
    form: object


@dataclass
class CaseView:
    """What every panel's view-model is built from: the record, the day, and the form
    just sent (if it was refused), with anything a view asks a panel to show as well
    (``options``, such as the response form left open)."""

    record: Feedback
    day: date
    sent: Sent | None = None
    options: dict = field(default_factory=dict)

    def form(self, key: str, fresh: Callable[[], object]):
        """The form in slot ``key``: the one sent, if it is that one, else ``fresh()``."""
        if self.sent is not None and self.sent.key == key:
            return self.sent.form
        return fresh()


def always(record: Feedback) -> bool:
    return True


@dataclass(frozen=True)
class Panel:
    """One part of the case page. ``id`` is its element's id: the anchor a plain post
    comes back to and the target an HTMX post swaps (for a part nothing acts on, such as
    the person's details, just its name). ``shown`` says whether the page has it for
    this record (otherwise it renders as nothing)."""

    id: str
    template: str
    build: Callable[[CaseView], dict]
    shown: Callable[[Feedback], bool] = always
