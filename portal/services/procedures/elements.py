"""The numbered elements of a stage and their outcomes.

DOMAIN.md, Elements and outcomes: "Each stage of a complaint is broken into numbered
elements (the points the complainant raises). Each element gets one outcome when the
stage responds: upheld, partially upheld, not upheld, unable to determine, withdrawn."
Issue 5: a stage cannot be responded to while an element lacks an outcome, and Stage 2
starts from the elements carried up from Stage 1, plus new ones.
"""

from __future__ import annotations

from portal.models import Element, Stage, StaffUser
from portal.services.common.labels import ElementOutcome, label
from portal.services.common import timeline
from portal.services.procedures.common import require_unanswered, required_text
from portal.services.common.errors import Refused, check_version

def add_element(stage: Stage, summary: str, actor: StaffUser, *,
                theme_id: int | None = None, version: int | None = None) -> Element:
    """Add the next numbered element to a stage that has not been responded to."""
    check_version(stage.feedback, version)
    require_unanswered(stage, "add an element")
    text = required_text(summary, "Enter what the complainant says in this element", "summary")
    element = Element(number=_next_number(stage), summary=text, theme_id=theme_id)
    stage.elements.append(element)
    timeline.add(stage.feedback, "status_change",
                 f"Stage {stage.number} element {element.number} added: {text}", actor)
    return element


def change_element(element: Element, summary: str, actor: StaffUser, *,
                   theme_id: int | None = None, version: int | None = None) -> None:
    """Reword an element or change its theme, before the stage responds."""
    check_version(element.stage.feedback, version)
    require_unanswered(element.stage, "change an element")
    element.summary = required_text(summary, "Enter what the complainant says in this element",
                                    "summary")
    element.theme_id = theme_id
    timeline.add(element.stage.feedback, "status_change",
                 f"Stage {element.stage.number} element {element.number} changed", actor)


def set_outcome(element: Element, outcome: str, actor: StaffUser, *,
                version: int | None = None) -> None:
    """Give an element its one outcome."""
    check_version(element.stage.feedback, version)
    require_unanswered(element.stage, "change an outcome")
    if outcome not in ElementOutcome:
        raise Refused("Select the outcome of this element", "outcome")
    element.outcome = outcome
    timeline.add(element.stage.feedback, "status_change",
                 f"Stage {element.stage.number} element {element.number}: {ElementOutcome(outcome).words}",
                 actor)


def remove_element(element: Element, actor: StaffUser, *, version: int | None = None) -> None:
    """Remove an element added by mistake. The complainant withdrawing a
    point is an outcome ("withdrawn"), not a removal. Later elements keep their numbers."""
    check_version(element.stage.feedback, version)
    stage = element.stage
    require_unanswered(stage, "remove an element")
    stage.elements.remove(element)
    timeline.add(stage.feedback, "status_change",
                 f"Stage {stage.number} element {element.number} removed", actor)


def elements_without_outcome(stage: Stage) -> list[Element]:
    return [element for element in stage.elements if element.outcome is None]


def check_ready_to_respond(stage: Stage) -> None:
    """Issue 5: "A stage cannot be responded to while an element lacks an outcome"; and a
    stage with no elements has nothing to respond to."""
    if not stage.elements:
        raise Refused(f"Add the elements of the complaint to Stage {stage.number} "
                      "before responding", "elements")
    missing = elements_without_outcome(stage)
    if missing:
        numbers = ", ".join(str(element.number) for element in missing)
        plural = "s" if len(missing) > 1 else ""
        raise Refused(f"Give element{plural} {numbers} an outcome before responding to "
                      f"Stage {stage.number}", "elements")


def carry_up(previous: Stage, stage: Stage) -> None:
    """Issue 5: the next stage starts from the previous stage's elements, same numbers,
    summaries and themes, each waiting for its new outcome. Elements withdrawn at the
    previous stage stay behind."""
    for element in previous.elements:
        if element.outcome == "withdrawn":
            continue
        stage.elements.append(Element(number=element.number, summary=element.summary,
                                      theme_id=element.theme_id))


def outcome_label(outcome: str | None) -> str:
    return ElementOutcome.words_of(outcome, label(outcome)) if outcome else "No outcome yet"


def _next_number(stage: Stage) -> int:
    return max((element.number for element in stage.elements), default=0) + 1
