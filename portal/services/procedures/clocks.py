"""Stage clocks: when each stage of a complaint is due, and whether it was on time.

The rules are DOMAIN.md's "Procedures, stages and clocks", "Both procedures" and
"Timeliness". Everything here is a plain function of explicit arguments: the working-day
:class:`~portal.services.procedures.working_days.Calendar` and the organisation's
:class:`Timescales` are passed in, so a changed holiday or setting recomputes every clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

from portal.services.common.dates import add_months, spoken
from portal.services.common.labels import Procedure
from portal.services.procedures import rules, working_days
from portal.services.procedures.working_days import Calendar
from portal.services.common.errors import Refused


@dataclass(frozen=True)
class Timescales:
    """The organisation's timescales, in working days unless named otherwise.

    The defaults are DOMAIN.md's. Statutory: Stage 1 10 WD extendable to 20, Stage 2 25
    WD extendable to 65, Stage 3 panel within 30 WD of the request, its report within 5
    WD of the meeting, the response within 15 WD of the report, no extension. Corporate:
    acknowledgement within 5 WD, Stage 1 10 WD with up to 10 more, Stage 2 25 WD with up
    to 20 more. Both: the next stage requested within 20 WD of the previous response;
    complaints normally made within a year (12 months) of the events.
    """

    statutory_stage1: int = 10
    statutory_stage1_maximum: int = 20
    statutory_stage2: int = 25
    statutory_stage2_maximum: int = 65
    stage3_panel: int = 30
    stage3_panel_report: int = 5
    stage3_response: int = 15
    corporate_acknowledgement: int = 5
    corporate_stage1: int = 10
    corporate_stage1_maximum: int = 20
    corporate_stage2: int = 25
    corporate_stage2_maximum: int = 45
    escalation_window: int = 20
    complaint_time_limit_months: int = 12
    # The corporate response clocks run from the acknowledgement rather than from the
    # stage's start (the Complaint Handling Code, from 1 April 2026: "a response within 10
    # WD of the acknowledgement", "20 WD of the acknowledgement"). Until the acknowledgement
    # is recorded they run from its due date.
    corporate_response_from_acknowledgement: bool = False

    def in_force(self, procedure: Procedure | str | None, on: date) -> Timescales:
        """One set of timescales, whatever the procedure and date (see TimescaleBook)."""
        return self

    def __post_init__(self) -> None:
        for base, maximum in (
            (self.statutory_stage1, self.statutory_stage1_maximum),
            (self.statutory_stage2, self.statutory_stage2_maximum),
            (self.corporate_stage1, self.corporate_stage1_maximum),
            (self.corporate_stage2, self.corporate_stage2_maximum),
        ):
            if not 0 < base <= maximum:
                raise ValueError(
                    f"a stage's maximum ({maximum}) cannot be under its timescale ({base})"
                )

    def stage_limits(self, procedure: Procedure | str, stage: int) -> tuple[int, int]:
        """(base, maximum) working days for a stage with a response clock (rules.Clock)."""
        statutory = Procedure(procedure) is Procedure.STATUTORY
        if rules.stage(procedure, stage).clock is rules.Clock.REVIEW_PANEL:
            raise ValueError(
                f"Stage {stage} has no single due date: use panel_due, panel_report_due and "
                "stage3_response_due"
            )
        if stage == 1:
            if statutory:
                return self.statutory_stage1, self.statutory_stage1_maximum
            return self.corporate_stage1, self.corporate_stage1_maximum
        if statutory:
            return self.statutory_stage2, self.statutory_stage2_maximum
        return self.corporate_stage2, self.corporate_stage2_maximum


DEFAULT_TIMESCALES = Timescales()

# Which of the timescales belong to which procedure's set: a set that applies from a date
# (TimescaleSet) is a procedure's, and names only these.
PROCEDURE_TIMESCALES = {
    "statutory": ("statutory_stage1", "statutory_stage1_maximum", "statutory_stage2",
                  "statutory_stage2_maximum", "stage3_panel", "stage3_panel_report",
                  "stage3_response", "escalation_window", "complaint_time_limit_months"),
    "corporate": ("corporate_acknowledgement", "corporate_stage1", "corporate_stage1_maximum",
                  "corporate_stage2", "corporate_stage2_maximum",
                  "corporate_response_from_acknowledgement", "escalation_window",
                  "complaint_time_limit_months"),
}
assert set().union(*PROCEDURE_TIMESCALES.values()) == {f.name for f in fields(Timescales)}


@dataclass(frozen=True)
class TimescaleSet:
    """A procedure's timescales from a date (DOMAIN.md, "Timescales change on a date"): a
    stage follows the set in force on its clock start. ``values`` names the timescales
    the set changes (from PROCEDURE_TIMESCALES[procedure]); the others are the
    organisation's first set (``TimescaleBook.base``)."""

    procedure: str
    effective_from: date
    values: dict = field(hash=False)
    reason: str = ""
    built_in: bool = False  # written here, not added by an administrator

    def __post_init__(self) -> None:
        unknown = set(self.values) - set(PROCEDURE_TIMESCALES[self.procedure])
        if unknown:
            raise ValueError(f"the {self.procedure} timescales have no {', '.join(sorted(unknown))}")


# The corporate procedure follows the LGSCO's Complaint Handling Code from 1 April 2026:
# acknowledged within 5 WD, Stage 1 response within 10 WD of the acknowledgement with at
# most 10 more, Stage 2 within 20 WD of the acknowledgement with at most 20 more.
COMPLAINT_HANDLING_CODE = TimescaleSet(
    "corporate", date(2026, 4, 1),
    {"corporate_acknowledgement": 5, "corporate_stage1": 10, "corporate_stage1_maximum": 20,
     "corporate_stage2": 20, "corporate_stage2_maximum": 40,
     "corporate_response_from_acknowledgement": True},
    reason="The Ombudsman's Complaint Handling Code applies from 1 April 2026",
    built_in=True,
)
BUILT_IN_SETS = (COMPLAINT_HANDLING_CODE,)


@dataclass(frozen=True)
class TimescaleBook:
    """Every set of timescales with the date it applies from: ``base`` (the
    organisation's first set, DOMAIN.md's 2023 tables with its changes) and the sets that
    followed, each a procedure's. ``in_force(procedure, on)`` is the set a stage whose
    clock started ``on`` follows."""

    base: Timescales = DEFAULT_TIMESCALES
    sets: tuple[TimescaleSet, ...] = BUILT_IN_SETS

    def set_in_force(self, procedure: Procedure | str | None, on: date) -> TimescaleSet | None:
        """The latest set of the procedure from ``on`` or before; None for the base set."""
        procedure = str(procedure or Procedure.STATUTORY)
        found = [s for s in self.sets if s.procedure == procedure and s.effective_from <= on]
        return max(found, key=lambda s: s.effective_from) if found else None

    def in_force(self, procedure: Procedure | str | None, on: date) -> Timescales:
        """The timescales of a stage of ``procedure`` whose clock started ``on``."""
        chosen = self.set_in_force(procedure, on)
        return replace(self.base, **chosen.values) if chosen else self.base

    def sets_of(self, procedure: str) -> list[TimescaleSet]:
        """The procedure's sets, earliest first."""
        return sorted((s for s in self.sets if s.procedure == procedure),
                      key=lambda s: s.effective_from)


DEFAULT_BOOK = TimescaleBook()


def response_clock_start(
    procedure: Procedure | str,
    stage: int,
    started_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
    acknowledged_on: date | None = None,
) -> date:
    """The day a stage's response clock counts from: its start; or, where the set in force
    counts a corporate response from the acknowledgement (the Code), the date acknowledged,
    and until then the date the acknowledgement is due."""
    if settings.corporate_response_from_acknowledgement and rules.stage(procedure, stage).acknowledged:
        return acknowledged_on or acknowledgement_due(procedure, stage, started_on, calendar, settings)
    return started_on


# Stages 1 and 2.


def due_date(
    procedure: Procedure | str,
    stage: int,
    started_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
    extended_to: date | None = None,
    paused_working_days: int = 0,
    acknowledged_on: date | None = None,
) -> date:
    """When a Stage 1 or 2 response is due.

    ``settings`` is the set the stage follows (TimescaleBook.in_force on its start).
    Under the Code the start here is the acknowledgement (response_clock_start).

    DOMAIN.md, Both procedures: "start + base WD; where an extension is recorded, the
    later of that and the extended date, but never beyond start + maximum WD; then moved
    on by the paused WD". An imported extension beyond the maximum counts only up to the
    maximum. The paused working days are added after the cap: a pause stops the clock, so
    it may carry the due date past start + maximum.
    """
    if paused_working_days < 0:
        raise ValueError("paused working days cannot be negative")
    base, maximum = settings.stage_limits(procedure, stage)
    started_on = response_clock_start(procedure, stage, started_on, calendar, settings,
                                      acknowledged_on)
    due = working_days.add(started_on, base, calendar)
    if extended_to is not None:
        due = min(max(due, extended_to), working_days.add(started_on, maximum, calendar))
    return working_days.add(due, paused_working_days, calendar)


def maximum_extension_date(
    procedure: Procedure | str,
    stage: int,
    started_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
    acknowledged_on: date | None = None,
) -> date:
    """The latest date an extension may give: start + maximum WD (statutory Stage 1 20,
    Stage 2 65; corporate Stage 1 10 + 10, Stage 2 25 + 20; under the Code from the
    acknowledgement, 10 + 10 and 20 + 20). Pauses come on top."""
    _, maximum = settings.stage_limits(procedure, stage)
    started_on = response_clock_start(procedure, stage, started_on, calendar, settings,
                                      acknowledged_on)
    return working_days.add(started_on, maximum, calendar)


def check_extension(
    procedure: Procedure | str,
    stage: int,
    started_on: date,
    extended_to: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
    acknowledged_on: date | None = None,
) -> None:
    """Refuse an extension the procedure does not allow, with a message for staff.

    DOMAIN.md, Both procedures: "The portal refuses to record an extension beyond the
    maximum". An extension must also be later than the stage's usual due date, and a stage
    the rule-book does not make ``extendable`` (the review panel, Stage 3) has none. The
    extended date is before any pause: pauses move it on afterwards.
    """
    if not rules.stage(procedure, stage).extendable:
        raise Refused(f"Stage {stage} timescales cannot be extended")
    base, maximum = settings.stage_limits(procedure, stage)
    counted_from = response_clock_start(procedure, stage, started_on, calendar, settings,
                                        acknowledged_on)
    after = spoken(counted_from) + (", the acknowledgement" if counted_from != started_on else "")
    started_on = counted_from
    usual = working_days.add(started_on, base, calendar)
    latest = working_days.add(started_on, maximum, calendar)
    if extended_to <= usual:
        raise Refused(
            f"The extended date must be after {spoken(usual)}, when the response is "
            f"due without an extension"
        )
    if extended_to > latest:
        raise Refused(
            f"The extended date must be on or before {spoken(latest)}: a Stage {stage} "
            f"response can be extended to at most {maximum} working days after "
            f"{after}"
        )


def acknowledgement_due(
    procedure: Procedure | str,
    stage: int,
    started_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
) -> date | None:
    """When a corporate Stage 1 or 2 must be acknowledged: within 5 WD of its start
    (DOMAIN.md, Corporate). None for a stage the rule-book does not acknowledge: the
    statutory procedure sets no such clock."""
    if not rules.stage(procedure, stage).acknowledged:  # refuses a stage the procedure lacks
        return None
    return working_days.add(started_on, settings.corporate_acknowledgement, calendar)


# Stage 3 (statutory only).


def panel_due(
    requested_on: date, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES
) -> date:
    """The review panel meets within 30 WD of the Stage 3 request being received."""
    return working_days.add(requested_on, settings.stage3_panel, calendar)


def panel_report_due(
    panel_met_on: date, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES
) -> date:
    """The panel's report is due within 5 WD of its meeting."""
    return working_days.add(panel_met_on, settings.stage3_panel_report, calendar)


def stage3_response_due(
    panel_report_on: date, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES
) -> date:
    """The organisation responds within 15 WD of the panel's report."""
    return working_days.add(panel_report_on, settings.stage3_response, calendar)


def stage3_in_timescale(
    requested_on: date,
    panel_met_on: date,
    panel_report_on: date,
    responded_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
) -> bool:
    """DOMAIN.md, Timeliness: "Stage 3 is in timescale when the panel met within 30 WD of
    the request and the response came within 15 WD of the panel report". The report's own
    5 WD is not part of the test."""
    return panel_met_on <= panel_due(requested_on, calendar, settings) and (
        responded_on <= stage3_response_due(panel_report_on, calendar, settings)
    )


# Timeliness and durations.


def in_timescale(responded_on: date, due: date) -> bool:
    """DOMAIN.md, Timeliness: a stage response is in timescale when its date is on or
    before the stage's due date (from :func:`due_date`, with extension and pauses)."""
    return responded_on <= due


def stage2_duration(started_on: date, responded_on: date, calendar: Calendar) -> int:
    """DOMAIN.md, Timeliness: "Stage 2 duration is the number of working days after its
    clock start up to and including its response (pauses not subtracted)"."""
    if responded_on < started_on:
        raise ValueError(
            f"a response on {responded_on} cannot come before the start on {started_on}"
        )
    return working_days.between(started_on, responded_on, calendar)


@dataclass(frozen=True)
class TimeLeft:
    """A clock as staff see it: working days left, or working days overdue.

    ``working_days`` counts the working days after today up to and including the due date
    (0 on the due date itself), or when overdue those after the due date up to and
    including today (0 on a weekend straight after a Friday due date, yet overdue).
    """

    working_days: int
    overdue: bool


def working_days_left(due: date, today: date, calendar: Calendar) -> TimeLeft:
    """How long a stage has left before ``due``, in working days, or how overdue it is."""
    if today > due:
        return TimeLeft(working_days.between(due, today, calendar), overdue=True)
    return TimeLeft(working_days.between(today, due, calendar), overdue=False)


# Escalation and out-of-time complaints (both procedures).


def escalation_deadline(
    previous_response_on: date, calendar: Calendar, settings: Timescales = DEFAULT_TIMESCALES
) -> date:
    """DOMAIN.md, Both procedures: "the next stage must be requested within 20 WD of the
    previous stage's response"; this is the last day of that window."""
    return working_days.add(previous_response_on, settings.escalation_window, calendar)


def is_late_request(
    previous_response_on: date,
    requested_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
) -> bool:
    """A request for the next stage received after the escalation window closed."""
    return requested_on > escalation_deadline(previous_response_on, calendar, settings)


def needs_late_request_reason(
    previous_response_on: date,
    requested_on: date,
    calendar: Calendar,
    settings: Timescales = DEFAULT_TIMESCALES,
) -> bool:
    """DOMAIN.md, Both procedures: "A late request may be accepted with a recorded
    reason": a reason is needed exactly when the request is late."""
    return is_late_request(previous_response_on, requested_on, calendar, settings)


def complaint_time_limit(events_on: date, settings: Timescales = DEFAULT_TIMESCALES) -> date:
    """The last day a complaint about events on ``events_on`` is in time: the same date
    a year (12 months) later.

    29 February gives 28 February in a year without one, as the reporting period's
    comparisons do (DOMAIN.md, The reporting period); likewise any month end the later
    month lacks (31 August plus 6 months is the end of February). Erring early only asks
    staff for a reason; it never refuses the complaint.
    """
    return add_months(events_on, settings.complaint_time_limit_months)


def needs_late_complaint_reason(
    events_on: date, received_on: date, settings: Timescales = DEFAULT_TIMESCALES
) -> bool:
    """DOMAIN.md, Both procedures: "Complaints are normally made within one year of the
    events; a later one may be accepted with a recorded reason". ``events_on`` is the
    latest date of the events complained about (for a continuing matter, its last day)."""
    return received_on > complaint_time_limit(events_on, settings)
