"""The procedure rule-book: what each stage of each complaints procedure is.

DOMAIN.md, "Procedures, stages and clocks" and "Both procedures". The statutory
children's social care procedure (Children Act 1989) has three stages: local resolution
by an officer, an investigation by an Investigating Officer with an Independent Person,
and a review panel. The corporate procedure (LGSCO Complaint Handling Code) has two, each
acknowledged within 5 working days, Stage 2 handled by someone other than Stage 1's
officer and extended only with the complainant's agreement. After the last stage the
complainant may go to the Ombudsman.

A check about a kind of stage asks this book ("can this stage be paused?":
``rules.stage(procedure, number).pausable``) rather than testing the stage's number, so
each rule is written once, here. Nothing here reads the database or counts days: the
numbers of working days are the organisation's timescales (clocks.Timescales) and the
arithmetic is clocks' and working_days'.

To add a rule: add a field to :class:`StageRule` with its docstring (the rule and its
source), give each stage in ``_BOOK`` its value, and make the check ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RunBy(StrEnum):
    """Who runs a stage and writes what the response is based on."""

    # The officer handling the stage (statutory Stage 1: the Customer Feedback Officer
    # with the team manager; both corporate stages).
    OFFICER = "officer"
    # An Investigating Officer and an Independent Person, appointed; the statement of
    # complaint agreed (date recorded); the adjudicating manager responds.
    INVESTIGATION = "Investigating Officer and Independent Person"
    # A panel of three independent people, one chairs; the Stage 2 IP may not sit.
    REVIEW_PANEL = "review panel"


class Clock(StrEnum):
    """How a stage's clock runs."""

    # One response date: the start + the stage's working days; an extension moves it, up
    # to the stage's maximum; then the paused working days move it on (clocks.due_date).
    RESPONSE = "response"
    # Three clocks in turn, none extended or paused: the panel meets within its working
    # days of the request, its report follows the meeting, the response follows the
    # report (clocks.panel_due, panel_report_due, stage3_response_due).
    REVIEW_PANEL = "review panel"


@dataclass(frozen=True)
class StageRule:
    """The rules of one stage of one procedure."""

    procedure: str  # "statutory" or "corporate" (labels.Procedure)
    number: int
    name: str  # as the person and staff read it: "Stage 1 (local resolution)"
    run_by: RunBy
    clock: Clock
    # Its response date can be extended, with a reason, up to the stage's maximum
    # (DOMAIN.md: every stage but the review panel).
    extendable: bool
    # Its clock can be stopped for court, police or disciplinary proceedings (DOMAIN.md,
    # Both procedures; the review panel's three clocks take no pause).
    pausable: bool
    # It is acknowledged within 5 WD of its start, with a clock of its own (corporate).
    acknowledged: bool = False
    # An Investigating Officer may be appointed (Stage 2 of either procedure).
    investigating_officer: bool = False
    # Handled by someone other than Stage 1's officer (corporate Stage 2).
    not_stage1_officer: bool = False
    # An extension needs the complainant's agreement (corporate Stage 2).
    extension_agreed: bool = False
    # The procedure's last stage: its response points to the Ombudsman, no stage follows.
    last: bool = False
    # A request for this stage needs the person to say what they are still unhappy about
    # (issue 13, the statutory stages). The Complaint Handling Code: a request to escalate
    # is never refused for lack of reasons (corporate Stage 2).
    request_needs_reasons: bool = True

    @property
    def review_panel(self) -> bool:
        """A review panel stage: a panel appointed, its meeting and report recorded, then
        the response (statutory Stage 3)."""
        return self.run_by is RunBy.REVIEW_PANEL

    @property
    def independent_person(self) -> bool:
        """An Independent Person is appointed and the statement of complaint agreed
        (statutory Stage 2)."""
        return self.run_by is RunBy.INVESTIGATION


_BOOK = (
    StageRule("statutory", 1, "Stage 1 (local resolution)", RunBy.OFFICER, Clock.RESPONSE,
              extendable=True, pausable=True),
    StageRule("statutory", 2, "Stage 2 (independent investigation)", RunBy.INVESTIGATION,
              Clock.RESPONSE, extendable=True, pausable=True, investigating_officer=True),
    StageRule("statutory", 3, "Stage 3 (review panel)", RunBy.REVIEW_PANEL, Clock.REVIEW_PANEL,
              extendable=False, pausable=False, last=True),
    StageRule("corporate", 1, "Stage 1", RunBy.OFFICER, Clock.RESPONSE,
              extendable=True, pausable=True, acknowledged=True),
    StageRule("corporate", 2, "Stage 2 (review)", RunBy.OFFICER, Clock.RESPONSE,
              extendable=True, pausable=True, acknowledged=True, investigating_officer=True,
              not_stage1_officer=True, extension_agreed=True, last=True,
              request_needs_reasons=False),
)
_STAGES = {(rule.procedure, rule.number): rule for rule in _BOOK}


def stage(procedure: str, number: int) -> StageRule:
    """The rules of Stage ``number`` of ``procedure``; ValueError for a stage the
    procedure does not have."""
    rule = _STAGES.get((procedure, number))
    if rule is None:
        raise ValueError(f"the {procedure} procedure has no Stage {number}")
    return rule


def stages(procedure: str) -> tuple[StageRule, ...]:
    """The procedure's stages, in order."""
    found = tuple(rule for rule in _BOOK if rule.procedure == procedure)
    if not found:
        raise ValueError(f"there is no {procedure} procedure")
    return found


def last_stage(procedure: str) -> StageRule:
    """The procedure's last stage, after which the complainant may go to the Ombudsman."""
    return stages(procedure)[-1]


def stage_name(procedure: str, number: int) -> str:
    """The stage's name, as the person and staff read it: "Stage 2 (independent
    investigation)"."""
    return stage(procedure, number).name


assert all(rule.last == (rule is stages(rule.procedure)[-1]) for rule in _BOOK), (
    "each procedure's last stage, and only it, is marked last")
