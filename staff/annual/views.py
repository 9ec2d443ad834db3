"""The annual reports (the Complaint Handling Code's report, the children's procedure's
statutory report, a children's home's 12 months for Ofsted), the self-assessment, and the
Ombudsman's figures, spreadsheets and reconciliation.

Elected members (the Member Responsible for Complaints and scrutiny members) reach the
figures, reports and self-assessment only; the reconciliation names cases, so it needs
``reconcile_ombudsman``. Every download is in the audit trail, as the feedback report's are.
"""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import auth
from portal.forms import read_id
from portal.extensions import db
from portal.models import MemberResponse, Team
from portal.services.casework import ombudsman_data
from portal.services.common import audit
from portal.services.common.dates import read_date, today
from portal.services.common.labels import Complies
from portal.services.common.text import plural
from portal.services.reports import annual, annual_documents, self_assessment
from portal.services.reports.period import financial_year_start
from staff import bp
from staff.annual.forms import MemberResponseForm, OmbudsmanImportForm, SelfAssessmentForm, field_name
from staff.changes import carry_out

TYPES = {"pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _year(year: int) -> int:
    if not annual.is_reportable_year(year):
        abort(404)
    return year


def _clock():
    from portal.services.procedures.calendars import current_calendar
    from portal.services.procedures.timescales import current_timescales

    return current_calendar(), current_timescales()


def _this_year() -> int:
    return financial_year_start(today()).year


def _years(chosen: int) -> list[int]:
    """The years the pickers offer: this financial year, the eleven before it, and the
    year asked for when it is older."""
    return sorted(set(range(_this_year() - 11, _this_year() + 1)) | {chosen}, reverse=True)


def _answer(document, endpoint: str, name: str, kind: str | None, **args):
    """The document as a page, or as a PDF or XLSX download (audited)."""
    if kind is None:
        downloads = {k: url_for(f"staff.{endpoint}_{k}", **args) for k in TYPES}
        return render_template("staff/annual/document.html", document=document, downloads=downloads,
                               back=url_for("staff.annual_reports", year=args.get("year", _this_year())))
    from portal.services.reports.pdf import to_pdf

    content = to_pdf(document) if kind == "pdf" else annual_documents.to_xlsx(document)
    audit.record(current_user, "report_download", endpoint, name, new={"format": kind})
    db.session.commit()
    response = make_response(content)
    response.headers["Content-Type"] = TYPES[kind]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@bp.get("/annual-reports")
@auth.permission_required("view_annual_reports")
def annual_reports():
    year = request.args.get("year", "").strip()
    chosen = int(year) if year.isdigit() and annual.is_reportable_year(int(year)) else _this_year()
    homes = db.session.scalars(select(Team).order_by(Team.name)).all()
    return render_template("staff/annual/index.html", year=chosen, years=_years(chosen),
                           homes=homes, today=today(), year_text=annual.year_text)


# --- The annual complaints performance and service improvement report -------------------


def _annual(year: int, kind: str | None):
    year = _year(year)
    figures = annual.annual_figures(year, *_clock())
    return _answer(annual_documents.annual_document(figures), "annual_report",
                   f"annual-complaints-report_{year}-{year + 1}", kind, year=year)


@bp.get("/annual-reports/<int:year>")
@auth.permission_required("view_annual_reports")
def annual_report(year: int):
    return _annual(year, None)


@bp.get("/annual-reports/<int:year>/report.pdf")
@auth.permission_required("view_annual_reports")
def annual_report_pdf(year: int):
    return _annual(year, "pdf")


@bp.get("/annual-reports/<int:year>/report.xlsx")
@auth.permission_required("view_annual_reports")
def annual_report_xlsx(year: int):
    return _annual(year, "xlsx")


@bp.route("/annual-reports/<int:year>/member-response", methods=["GET", "POST"])
@auth.permission_required("manage_annual_reports")
def member_response(year: int):
    year = _year(year)
    stored = db.session.scalar(select(MemberResponse).where(MemberResponse.year == year))
    form = MemberResponseForm(data={"text": stored.text} if stored and request.method == "GET" else None)

    def save(f):
        row = stored or MemberResponse(year=year)
        row.text, row.updated_by_id = f.text.data, current_user.id
        db.session.add(row)
        db.session.flush()
        audit.record(current_user, "member_response_saved", "member_response", str(year))

    if carry_out(form, save).done:
        flash("The Member's response is saved in the annual report", "success")
        return redirect(url_for(".annual_report", year=year) + "#member-response")
    return render_template("staff/annual/member_response.html", form=form, year=year,
                           year_text=annual.year_text(year))


# --- The statutory annual report and a children's home's 12 months ------------------------


def _statutory(year: int, kind: str | None):
    year = _year(year)
    figures = annual.statutory_figures(year, *_clock())
    threshold = max(1, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return _answer(annual_documents.statutory_document(figures, threshold), "statutory_report",
                   f"childrens-complaints-annual-report_{year}-{year + 1}", kind, year=year)


@bp.get("/annual-reports/<int:year>/statutory")
@auth.permission_required("view_annual_reports")
def statutory_report(year: int):
    return _statutory(year, None)


@bp.get("/annual-reports/<int:year>/statutory.pdf")
@auth.permission_required("view_annual_reports")
def statutory_report_pdf(year: int):
    return _statutory(year, "pdf")


@bp.get("/annual-reports/<int:year>/statutory.xlsx")
@auth.permission_required("view_annual_reports")
def statutory_report_xlsx(year: int):
    return _statutory(year, "xlsx")


def _home(kind: str | None):
    team_id = read_id(request.args.get("team"))
    team = db.session.get(Team, team_id) if team_id is not None else None
    end = read_date(request.args.get("to", "")[:40]) or today()
    if team is None:
        flash("Choose the children's home", "info")
        return redirect(url_for(".annual_reports") + "#childrens-home")
    summary = annual.home_summary(team.id, end, *_clock())
    return _answer(annual_documents.home_document(summary), "childrens_home_summary",
                   f"childrens-home-complaints_{end:%Y-%m-%d}", kind, team=team.id, to=end.isoformat())


@bp.get("/annual-reports/childrens-home")
@auth.permission_required("view_home_summaries")
def childrens_home_summary():
    return _home(None)


@bp.get("/annual-reports/childrens-home.pdf")
@auth.permission_required("view_home_summaries")
def childrens_home_summary_pdf():
    return _home("pdf")


@bp.get("/annual-reports/childrens-home.xlsx")
@auth.permission_required("view_home_summaries")
def childrens_home_summary_xlsx():
    return _home("xlsx")


# --- The self-assessment -----------------------------------------------------------------


def _self_assessment(year: int, kind: str | None):
    year = _year(year)
    document = self_assessment.document(year, self_assessment.portal_figures(year, *_clock()))
    return _answer(document, "self_assessment_page", f"complaint-handling-code-self-assessment_{year}-{year + 1}",
                   kind, year=year)


@bp.get("/self-assessment/<int:year>")
@auth.permission_required("view_annual_reports")
def self_assessment_page(year: int):
    return _self_assessment(year, None)


@bp.get("/self-assessment/<int:year>/self-assessment.pdf")
@auth.permission_required("view_annual_reports")
def self_assessment_page_pdf(year: int):
    return _self_assessment(year, "pdf")


@bp.get("/self-assessment/<int:year>/self-assessment.xlsx")
@auth.permission_required("view_annual_reports")
def self_assessment_page_xlsx(year: int):
    return _self_assessment(year, "xlsx")


@bp.route("/self-assessment/<int:year>/edit", methods=["GET", "POST"])
@auth.permission_required("manage_annual_reports")
def self_assessment_edit(year: int):
    year = _year(year)
    stored = self_assessment.answers(year)
    data = None
    if request.method == "GET":
        data = {}
        for code, answer in stored.items():
            data[field_name(code, "complies")] = answer.complies
            data[field_name(code, "how")] = answer.how
            data[field_name(code, "evidence")] = answer.evidence
    form = SelfAssessmentForm(data=data)

    def save(f):
        given = {r.code: {what: f[field_name(r.code, what)].data for what in ("complies", "how", "evidence")}
                 for r in self_assessment.REQUIREMENTS}
        self_assessment.save_answers(year, given, current_user)

    if carry_out(form, save).done:
        flash("The self-assessment is saved", "success")
        return redirect(url_for(".self_assessment_page", year=year))
    return render_template("staff/annual/self_assessment_edit.html", form=form, year=year,
                           year_text=annual.year_text(year), requirements=self_assessment.REQUIREMENTS,
                           field_name=field_name, figures=self_assessment.portal_figures(year, *_clock()),
                           complies=Complies.choices())


# --- The Ombudsman's figures, spreadsheets and reconciliation ------------------------------


@bp.get("/ombudsman-figures")
@auth.permission_required("view_annual_reports")
def ombudsman_figures():
    year = request.args.get("year", "").strip()
    chosen = int(year) if year.isdigit() and annual.is_reportable_year(int(year)) else _this_year()
    period = annual.financial_year(chosen)
    figures = ombudsman_data.letter_figures(period.start, period.end)
    return render_template("staff/annual/ombudsman_figures.html", figures=figures, year=chosen,
                           year_text=annual.year_text, years=_years(chosen))


@bp.route("/ombudsman-data/import", methods=["GET", "POST"])
@auth.permission_required("reconcile_ombudsman")
def ombudsman_import():
    remembered = ombudsman_data.remembered_columns()
    form = OmbudsmanImportForm(data={f"column_{f}": h for f, h in remembered.items()}
                               if request.method == "GET" else None)
    headings: list[str] = []

    def perform(f):
        upload = f.file.data
        content = upload.read()
        found, _ = ombudsman_data.read_sheet(upload.filename or "", content)
        headings.extend(found)
        suggested = ombudsman_data.suggested_columns(found)
        columns = {field: f[f"column_{field}"].data or suggested.get(field, "") for field in ombudsman_data.FIELDS}
        return ombudsman_data.import_cases(upload.filename or "", content, columns, current_user)

    outcome = carry_out(form, perform, {field: f"column_{field}" for field in ombudsman_data.FIELDS})
    if outcome.done:
        flash(f"{plural(len(outcome.result.cases), 'case')} imported from {outcome.result.filename}", "success")
        return redirect(url_for(".ombudsman_reconciliation"))
    return render_template("staff/annual/ombudsman_import.html", form=form, headings=headings,
                           fields=ombudsman_data.FIELDS)


@bp.get("/ombudsman-data/reconciliation")
@auth.permission_required("reconcile_ombudsman")
def ombudsman_reconciliation():
    return render_template("staff/annual/reconciliation.html", found=ombudsman_data.reconcile())
