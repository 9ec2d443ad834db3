"""The whole report, in the exact shape and key order of interchange/REPORT.md.

Every figure is computed by set-based SQL (GROUP BY over indexed dates) except those needing
working-day arithmetic (timeliness, Stage 2 durations), which load only the stages responded
in the period. See docs/reports.md for each figure's rule and the code that counts it.
"""

from __future__ import annotations

from portal.services.procedures.clocks import DEFAULT_BOOK, TimescaleBook, Timescales
from portal.services.reports.children import Tally
from portal.services.reports.complaints import complaints_received
from portal.services.reports.contacts import compliments, initial_contacts
from portal.services.reports.counting import reference_names, with_parallel_workers
from portal.services.reports.learning import learning_actions
from portal.services.reports.money import costs
from portal.services.reports.ombudsman import ombudsman
from portal.services.reports.outcomes import element_outcomes
from portal.services.reports.period import Period
from portal.services.reports.restrictions import restriction_letters
from portal.services.reports.timeliness import timeliness
from portal.services.procedures.working_days import Calendar

FORMAT = "feedback-report/1"


def _span(period: Period) -> dict:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def build_report(
    period: Period, calendar: Calendar, settings: Timescales | TimescaleBook = DEFAULT_BOOK
) -> dict:
    """Every figure of REPORT.md for ``period``, with the same dates a year earlier where
    REPORT.md gives a ``previous``. ``calendar`` should include the administrator's extra
    non-working days (:func:`portal.services.procedures.calendars.current_calendar`)."""
    return _build(period, calendar, settings)


def build_report_and_children(
    period: Period, calendar: Calendar, settings: Timescales | TimescaleBook = DEFAULT_BOOK
) -> tuple[dict, dict]:
    """The report (``build_report``) and its section on children's complaints
    (``children.children_complaints``, not in feedback-report/1), the section added up in
    the same count of the period's stages as the complaints received: what the reports
    page, the PDF, the XLSX and the CSV show."""
    children = Tally()
    return _build(period, calendar, settings, children), children.figures()


def _build(period: Period, calendar: Calendar, settings: Timescales | TimescaleBook,
           children: Tally | None = None) -> dict:
    with_parallel_workers()
    teams, themes = reference_names()
    praise = compliments(period, teams)
    contacts = initial_contacts(period)
    complaints = complaints_received(period, teams, themes, children)
    lgsco = ombudsman(period)
    timely = timeliness(period, calendar, settings)
    outcomes = element_outcomes(period, themes)
    received = complaints["complaints_received"]["all"]

    def byq(figure: dict) -> dict:
        return {"by_quarter": figure["by_quarter"], "total": figure["total"]}

    return {
        "format": FORMAT,
        "period": _span(period),
        "previous_period": _span(period.previous()),
        "quarters": [
            {"label": q.label, "from": q.start.isoformat(), "to": q.end.isoformat()}
            for q in period.quarters()
        ],
        "feedback_received": {
            "compliments": praise["byq"],
            "initial_contacts": byq(contacts["received"]),
            "stage1": byq(received["stage1"]),
            "stage2": byq(received["stage2"]),
            "stage3": byq(received["stage3"]),
            "ombudsman": lgsco["byq"],
        },
        "compliments": praise["section"],
        "initial_contacts": contacts,
        "complaints_received": complaints["complaints_received"],
        "complaints_from_young_people": complaints["complaints_from_young_people"],
        "stage1_by_team": complaints["stage1_by_team"],
        "stage1_by_theme": complaints["stage1_by_theme"],
        "stage2_by_team": complaints["stage2_by_team"],
        "stage2_by_theme": complaints["stage2_by_theme"],
        "timeliness": timely["timeliness"],
        "stage2_average_working_days": timely["stage2_average_working_days"],
        "element_outcomes": outcomes["element_outcomes"],
        "upheld_elements_by_theme": outcomes["upheld_elements_by_theme"],
        "ombudsman": lgsco["section"],
        "costs": costs(period),
        "restriction_letters": restriction_letters(period),
        "learning_actions": learning_actions(period),
    }
