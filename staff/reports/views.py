"""The reports page: the feedback report for a period as a document with charts, a period
picker that updates it in place (HTMX) or as a plain GET, and PDF, XLSX and CSV downloads,
each written to the audit trail.

Periods come from the query string: ``?from=2025-04-01&to=2025-06-30`` (or the dates
as people type them, like ``1/4/2025`` or ``1 April 2025``), or a quick pick
``?pick=q1-2025`` (Q1 of the financial year starting April 2025; also q2-q4, h1, h2, year)
or ``?pick=ytd`` (this financial year to date). Nothing given: this financial year to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask import make_response, request, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db, htmx
from portal.services.common import audit
from portal.services.common.collector import without_collections
from portal.services.common.dates import read_date, today
from portal.services.reports.period import Period, financial_year_start, quick_picks
from portal.services.common.errors import Refused
from portal.services.insight.trends import theme_trends
from staff import bp
from staff.views import page_or_fragment

PICK = re.compile(r"(q[1-4]|h[12]|year)-(\d{4})")
PICK_NAMES = {"q1": "Q1", "q2": "Q2", "q3": "Q3", "q4": "Q4", "h1": "First half", "h2": "Second half",
              "year": "Whole year"}
DOWNLOADS = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "zip": "application/zip"}


@dataclass
class Picker:
    """What the period picker shows: the dates typed and any errors, by field."""

    start: str = ""
    end: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    period: Period | None = None

    def error_list(self) -> list[dict]:
        """The error summary's items, in the order the fields come."""
        return [{"text": self.errors[name], "href": f"#{name}"} for name in ("from", "to")
                if name in self.errors]


def read_period(args, on: date) -> Picker:
    """The period the query string asks for, or the picker with errors to show."""
    start, end, pick = (args.get(name, "").strip()[:40] for name in ("from", "to", "pick"))
    if not (start or end):
        if pick in ("", "ytd"):
            period = quick_picks(on)["year_to_date"]
        elif match := PICK.fullmatch(pick):
            period = quick_picks(date(int(match[2]), 4, 1))[match[1]]
        else:
            return Picker(errors={"from": "Choose a period from the list, or enter the dates"})
        return Picker(period.start.isoformat(), period.end.isoformat(), period=period)
    picker = Picker(start, end)
    days = {}
    for name, text, which in (("from", start, "start"), ("to", end, "end")):
        if not text:
            picker.errors[name] = f"Enter the {which} date of the period"
            continue
        days[name] = read_date(text)  # as people type dates: 1/4/2023, 1 April 2023, 2023-04-01
        if days[name] is None:
            picker.errors[name] = f"The {which} date must be a real date, like 2023-04-01"
    if not picker.errors:
        try:
            picker.period = Period(days["from"], days["to"])
        except Refused as refused:
            # Both dates are real: the end is before the start, or more than 12 months on.
            picker.errors["to"] = str(refused)
    return picker


def picks_for(on: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Quick picks for this financial year and last, as (heading, [(pick, text)])."""
    groups = []
    for first in (financial_year_start(on), financial_year_start(date(on.year - 1, on.month, 1))):
        year = f"{first.year}-{(first.year + 1) % 100:02d}"
        links = [(f"{key}-{first.year}", name) for key, name in PICK_NAMES.items()]
        if first == financial_year_start(on):
            links.append(("ytd", "Year to date"))
        groups.append((f"Financial year {year}", links))
    return groups


def _report_for(period: Period):
    from portal.services.procedures.calendars import current_calendar
    from portal.services.procedures.timescales import current_timescales
    from portal.services.reports.build import build_report_and_children
    from portal.services.reports.document import build_document, compliment_examples

    figures, children = build_report_and_children(period, current_calendar(), current_timescales())
    return figures, children, build_document(figures, compliment_examples(period), children)


@bp.get("/reports")
@auth.permission_required("view_reports")
def reports():
    on = today()
    picker = read_period(request.args, on)
    document = trends = None
    if picker.period:
        with without_collections():  # the period's rows and the charts' figures (collector.py)
            _, _, document = _report_for(picker.period)
            trends = theme_trends(picker.period)
    response = page_or_fragment("staff/reports.html", "report", picker=picker, document=document,
                                picks=picks_for(on), downloads=_download_links(picker.period), trends=trends)
    if picker.errors and not htmx:
        # A plain request with a bad period is a bad request; an HTMX one is answered 200,
        # as htmx swaps in only 2xx (and 409, 422) answers here (base.html's htmx-config).
        response.status_code = 400
    return response


def _download_links(period: Period | None) -> dict[str, str]:
    if period is None:
        return {}
    query = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return {kind: url_for(f"staff.report_{kind}", **query) for kind in DOWNLOADS}


@bp.get("/reports/download.pdf")
@auth.permission_required("view_reports")
def report_pdf():
    return _download("pdf")


@bp.get("/reports/download.xlsx")
@auth.permission_required("view_reports")
def report_xlsx():
    return _download("xlsx")


@bp.get("/reports/download.zip")
@auth.permission_required("view_reports")
def report_zip():
    return _download("zip")


def _download(kind: str):
    from portal.services.reports.export import to_csv_zip, to_xlsx
    from portal.services.reports.pdf import to_pdf

    picker = read_period(request.args, today())
    if picker.period is None:
        response = page_or_fragment("staff/reports.html", "report", picker=picker, document=None,
                                    picks=picks_for(today()), downloads={})
        response.status_code = 400
        return response
    period = picker.period
    with without_collections():
        figures, children, document = _report_for(period)
    content = {"pdf": lambda: to_pdf(document),
               "xlsx": lambda: to_xlsx(figures, children),
               "zip": lambda: to_csv_zip(figures, children)}[kind]()
    span = f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"
    audit.record(current_user, "report_download", "report", span,
                 new={"format": "csv" if kind == "zip" else kind})
    db.session.commit()
    response = make_response(content)
    response.headers["Content-Type"] = DOWNLOADS[kind]
    response.headers["Content-Disposition"] = (
        f'attachment; filename="feedback-report_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}.{kind}"')
    return response
