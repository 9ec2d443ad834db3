"""Timeliness of stage responses and the average length of Stage 2, by response date.

DOMAIN.md, "Timeliness": a stage response is in timescale when its date is on or before the
stage's due date, which includes a recorded extension (capped at the maximum) and pauses;
Stage 3 is in timescale when the panel met within 30 WD of the request and the response came
within 15 WD of the panel report. Stage 2 duration is the working days after its clock start
up to and including its response (pauses not subtracted). "The reporting period": these count
by the stage's response date within the period. REPORT.md: the Stage 2 average is rounded
half up to one decimal, null when there are no responses.

Working-day arithmetic cannot be done in SQL, so only the stages responded in the period
(hundreds to thousands of rows, a few columns each) are loaded; the rules themselves are
``portal.services.procedures.clocks``'.

Data the rules do not cover, resolved here: a Stage 3 without its panel meeting or report
date cannot be shown to be in timescale, so it is not; a complaint without a recorded
procedure is judged against the statutory timescales (the children's social care default).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback, Stage
from portal.services.common.labels import Procedure
from portal.services.procedures import clocks, rules
from portal.services.procedures.clocks import TimescaleBook, Timescales
from portal.services.reports.counting import ByQuarter, average
from portal.services.reports.period import Period
from portal.services.procedures.working_days import Calendar


def stage_in_timescale(
    procedure: str | None,
    number: int,
    started_on: date,
    responded_on: date,
    extended_to: date | None,
    paused_working_days: int | None,
    panel_met_on: date | None,
    panel_report_on: date | None,
    calendar: Calendar,
    settings: Timescales | TimescaleBook,
    acknowledged_on: date | None = None,
) -> bool:
    """Whether one stage's response was in timescale (DOMAIN.md, Timeliness), under the
    set of timescales in force on its start (DOMAIN.md, "Timescales change on a date":
    the 2023 records by the 2023 set, corporate stages from 1 April 2026 by the Code's,
    whose response counts from the acknowledgement)."""
    procedure = procedure or Procedure.STATUTORY
    settings = settings.in_force(procedure, started_on)
    if rules.stage(procedure, number).review_panel:
        if panel_met_on is None or panel_report_on is None:
            return False
        return clocks.stage3_in_timescale(
            started_on, panel_met_on, panel_report_on, responded_on, calendar, settings
        )
    due = clocks.due_date(
        procedure, number, started_on, calendar, settings,
        extended_to=extended_to, paused_working_days=paused_working_days or 0,
        acknowledged_on=acknowledged_on,
    )
    return clocks.in_timescale(responded_on, due)


def timeliness(period: Period, calendar: Calendar, settings: Timescales | TimescaleBook) -> dict:
    """The report's ``timeliness`` (concluded and in time, by quarter, for each stage) and
    ``stage2_average_working_days`` (this period and the same dates a year earlier)."""
    quarters = period.quarters()
    rows = db.session.execute(
        select(
            Feedback.procedure, Stage.number, Stage.started_on, Stage.responded_on,
            Stage.extended_to, Stage.paused_working_days, Stage.panel_met_on,
            Stage.panel_report_on, Stage.acknowledged_on,
        )
        .join(Feedback, Stage.feedback_id == Feedback.id)
        .where(Stage.responded_on.between(period.start, period.end))
    ).tuples()
    concluded = {number: ByQuarter(len(quarters)) for number in (1, 2, 3)}
    in_time = {number: ByQuarter(len(quarters)) for number in (1, 2, 3)}
    durations = []
    for procedure, number, started_on, responded_on, extended_to, paused, met, report, acknowledged in rows:
        if number not in concluded:
            continue
        index = _quarter_of(responded_on, quarters)
        concluded[number].add(index, 1)
        if stage_in_timescale(procedure, number, started_on, responded_on, extended_to, paused,
                              met, report, calendar, settings, acknowledged):
            in_time[number].add(index, 1)
        if number == 2:
            durations.append(_stage2_duration(started_on, responded_on, calendar))

    current = average(durations)
    previous = average(stage2_durations(period.previous(), calendar))
    return {
        "timeliness": {
            f"stage{number}": {
                "concluded": concluded[number].as_json(),
                "in_time": in_time[number].as_json(),
            }
            for number in (1, 2, 3)
        },
        "stage2_average_working_days": {
            "current": None if current is None else float(current),
            "previous": None if previous is None else float(previous),
        },
    }


def stage2_durations(period: Period, calendar: Calendar) -> list[int]:
    """The working days taken by each Stage 2 responded in the period."""
    rows = db.session.execute(
        select(Stage.started_on, Stage.responded_on)
        .where(Stage.number == 2, Stage.responded_on.between(period.start, period.end))
    ).tuples()
    return [_stage2_duration(started_on, responded_on, calendar) for started_on, responded_on in rows]


def _stage2_duration(started_on: date, responded_on: date, calendar: Calendar) -> int:
    # A response recorded before its own start is a data error; it took no working days.
    if responded_on < started_on:
        return 0
    return clocks.stage2_duration(started_on, responded_on, calendar)


def _quarter_of(day: date, quarters) -> int:
    for index, quarter in enumerate(quarters):
        if day <= quarter.end:
            return index
    return len(quarters) - 1
