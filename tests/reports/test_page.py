"""The staff reports page: its tables show the JSON's figures, the period picker works as a
plain GET and as an HTMX fragment, bad periods get GOV.UK error messages, only roles with
"view_reports" reach it, and downloads are audited."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from html import unescape

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Feedback, Team
from portal.services.reports import Period
from portal.services.reports.document import pounds
from staff.reports.views import read_period
from tests.reports.expected import EXPECTED
from tests.staff.conftest import error_summary, make_user, signed_in  # noqa: F401 (fixtures)

QUERY = "from=2023-05-15&to=2023-11-14"
URL = f"/staff/reports?{QUERY}"
QUARTERS = ["Q1 (15 May to 30 June 2023)", "Q2 (1 July to 30 September 2023)",
            "Q3 (1 October to 14 November 2023)"]


def table(page: str, id: str) -> list[list[str]]:
    """The table's cells, head row first, as the text a reader sees."""
    block = re.search(rf'<table [^>]*id="{id}">(.*?)</table>', page, re.S)
    assert block, f"no table {id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", block.group(1), re.S)
    return [[" ".join(unescape(re.sub(r"<[^>]+>", "", cell)).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def body(page: str, id: str) -> dict[str, list[str]]:
    """A table's body rows keyed by their row header."""
    return {row[0]: row[1:] for row in table(page, id)[1:]}


@pytest.fixture
def officer(signed_in, report_data):
    return signed_in("feedback_officer")


@pytest.fixture
def page(officer):
    response = officer.get(URL)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_feedback_received_by_type_and_quarter(page):
    rows = table(page, "table-feedback-received")
    assert rows[0] == ["Type of feedback", *QUARTERS, "Total"]
    shown = {name: figures for name, *figures in rows[1:]}
    names = ["Compliments", "Initial contacts", "Stage 1 complaints", "Stage 2 complaints",
             "Stage 3 complaints", "Ombudsman enquiries"]
    assert list(shown) == names
    for name, key in zip(names, EXPECTED["feedback_received"]):
        figure = EXPECTED["feedback_received"][key]
        assert shown[name] == [*map(str, figure["by_quarter"]), str(figure["total"])]


def test_compliments_and_initial_contacts(page):
    assert body(page, "table-compliments-by-role") == {
        "Child or young person": ["1"], "Parent or carer": ["2"], "Professional": ["1"]}
    assert body(page, "table-compliments-by-team") == {
        name: [str(n)] for name, n in EXPECTED["compliments"]["by_team"].items()}
    contacts = body(page, "table-initial-contacts")
    resolved = EXPECTED["initial_contacts"]["resolved"]
    # 2 of 6 is 33.33..%, half up to 33%
    assert contacts["Resolved as an initial contact"] == [*map(str, resolved["by_quarter"]), "2", "33%"]
    assert contacts["Progressed to Stage 1"][-2:] == ["1", "17%"]
    assert contacts["Still open"][-2:] == ["1", "17%"]


def test_complaints_by_stage_and_procedure_with_the_change_on_last_year(page):
    for procedure, stages in EXPECTED["complaints_received"].items():
        rows = body(page, f"table-complaints-{procedure}")
        for stage, figure in stages.items():
            shown = rows[f"Stage {stage[-1]}"]
            difference = figure["total"] - figure["previous"]
            assert shown == [*map(str, figure["by_quarter"]), str(figure["total"]),
                             str(figure["previous"]), f"{difference:+d}" if difference else "0"]
    # statutory: 2 + 1 + 1 = 4 now, 1 + 2 + 0 = 3 a year earlier
    assert body(page, "table-complaints-statutory")["All stages"] == ["2", "2", "0", "4", "3", "+1"]
    assert "2 Stage 1 complaints came from children, young people or care leavers, compared with 1" in page


def test_stage1_by_team_with_percentages_to_one_decimal(page):
    # 6 Stage 1 complaints: 2 is 33.3%, 1 is 16.7%
    assert body(page, "table-stage1-teams") == {
        "Early Help": ["2", "33.3%"], "Fostering Team": ["2", "33.3%"],
        "Not recorded": ["1", "16.7%"], "SEND Team": ["1", "16.7%"], "Total": ["6", "100.0%"]}
    assert body(page, "table-stage2-teams")["Total"] == ["2", "100.0%"]


def test_themes_timeliness_and_outcomes(page):
    assert body(page, "table-stage1-themes") == {
        name: [str(n)] for name, n in EXPECTED["stage1_by_theme"].items()}
    assert body(page, "table-stage2-themes") == {"SEND": ["2"]}
    timeliness = body(page, "table-timeliness")
    assert timeliness["Stage 1"] == ["100% (2 of 2)", "50% (1 of 2)", "100% (2 of 2)", "83% (5 of 6)"]
    assert timeliness["Stage 2"] == ["0% (0 of 1)", "100% (1 of 1)", "None concluded", "50% (1 of 2)"]
    outcomes = body(page, "table-element-outcomes")
    # Stage 1: 10 elements, 5 upheld; Stage 2: 4, 2 upheld; Stage 3: 3, 1 upheld
    assert outcomes["Upheld"] == ["5", "50%", "2", "50%", "1", "33%"]
    assert outcomes["Unable to determine"] == ["1", "10%", "0", "0%", "1", "33%"]
    assert outcomes["Total"] == ["10", "100%", "4", "100%", "3", "100%"]
    upheld = table(page, "table-upheld-by-theme")[1:]
    assert upheld == [["Stage 1", "SEND", "2"], ["Stage 1", "Communication", "1"],
                      ["Stage 1", "Delay", "1"], ["Stage 1", "Not recorded", "1"],
                      ["Stage 2", "Finance", "1"], ["Stage 2", "SEND", "1"]]
    assert body(page, "table-stage2-average") == {"This period": ["37.0"], "Same period last year": ["1.3"]}


def test_ombudsman_money_letters_and_learning(page):
    assert body(page, "table-ombudsman") == {
        "Upheld": ["1"], "Closed after initial enquiries": ["1"], "In progress": ["2"], "Total": ["4"]}
    assert body(page, "table-costs") == {
        "Investigating complaints": ["£1,550.50", "£4,058.00"],
        "Financial remedies paid": ["£800.00", "£0.00"]}
    assert body(page, "table-letters") == {"This period": ["3"], "Same period last year": ["1"]}
    assert body(page, "table-learning") == {
        "Raised in the period": ["6"], "Completed by the end of the period": ["1"],
        "Still open at the end of the period": ["5"], "Open and past their due date": ["3"]}


def test_money_has_thousands_separators_and_pence():
    assert pounds("1300.00") == "£1,300.00"
    assert pounds("1234567.5") == "£1,234,567.50"
    assert pounds("0.00") == "£0.00"


def test_every_section_of_the_report_is_there_in_order(page):
    ids = re.findall(r'<section class="app-report-section" id="([^"]+)"', page)
    assert ids == ["highlights", "feedback-received", "compliments", "initial-contacts",
                   "complaints-received", "stage1", "timeliness", "element-outcomes", "stage2",
                   "ombudsman", "costs", "letters", "learning", "children"]


def test_charts_are_svg_images_with_a_text_alternative_and_their_table(page):
    import base64

    charts = re.findall(
        r'<figure [^>]*id="(chart-[^"]+)">\s*<img [^>]*src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">'
        r'\s*<figcaption[^>]*>([^<]+)</figcaption>', page)
    assert [c[0] for c in charts] == ["chart-feedback-received", "chart-stage1-themes",
                                      "chart-element-outcomes", "chart-stage2-themes"]
    for _, data, alt, summary in charts:
        svg = base64.b64decode(data).decode("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "figures are in the table" in alt
        assert summary.strip()
    assert "compliments 4, initial contacts 6" in page


def chart_svg(page: str, id: str) -> str:
    import base64

    data = re.search(rf'<figure [^>]*id="{id}">\s*<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert data, f"no chart {id}"
    return base64.b64decode(data.group(1)).decode("utf-8")


def test_a_chart_is_drawn_once_for_its_figures_and_afresh_when_the_records_change(officer, monkeypatch):
    from portal.services.reports import charts
    from tests.reports import dataset

    charts.forget_drawn()
    drawn = []
    draw = charts._svg
    monkeypatch.setattr(charts, "_svg", lambda figure: drawn.append(figure) or draw(figure))
    first = officer.get(URL).get_data(as_text=True)
    assert len(drawn) == 4
    again = officer.get(URL).get_data(as_text=True)
    assert len(drawn) == 4, "the same period's figures drew their charts again"
    for id in ("chart-feedback-received", "chart-stage1-themes", "chart-element-outcomes", "chart-stage2-themes"):
        assert chart_svg(again, id) == chart_svg(first, id)

    # A new Stage 1 complaint about delay: its theme's bar appears, and only the two charts
    # whose figures it changes are drawn again.
    b = dataset.Builder()
    b.stage(b.complaint("statutory", "2023-06-01", theme="Delay"), 1, "2023-06-01")
    db.session.commit()
    changed = officer.get(URL).get_data(as_text=True)
    assert len(drawn) == 6
    assert "Delay" not in chart_svg(first, "chart-stage1-themes")
    assert "Delay" in chart_svg(changed, "chart-stage1-themes")
    assert body(changed, "table-stage1-themes")["Delay"] == ["1"]
    assert chart_svg(changed, "chart-feedback-received") != chart_svg(first, "chart-feedback-received")
    assert chart_svg(changed, "chart-element-outcomes") == chart_svg(first, "chart-element-outcomes")


def test_compliment_examples_are_only_consented_anonymised_text_from_the_period(officer):
    team = db.session.scalar(select(Team).where(Team.name == "Early Help"))

    def compliment(received, consent, anonymised, summary):
        db.session.add(Feedback(
            reference=f"CF-TEST-9{len(summary):04d}{received[-2:]}", kind="compliment",
            received_on=date.fromisoformat(received), channel="web", submitter_role="parent_or_carer",
            summary=summary, team=team, publish_consent=consent, anonymised_text=anonymised))

    compliment("2023-06-02", True, "The worker listened and helped us.", "Raw words naming Jo Bloggs")
    compliment("2023-06-03", False, "Cleared text without consent.", "Raw summary two, no consent")
    compliment("2023-06-04", True, None, "Consent but nothing cleared yet")
    compliment("2023-12-01", True, "Cleared but after the period.", "Raw summary of a later one")
    db.session.commit()
    page = officer.get(URL).get_data(as_text=True)
    examples = re.search(r'id="compliment-examples">(.*?)</section>', page, re.S).group(1)
    assert "The worker listened and helped us." in examples and "Early Help" in examples
    for absent in ("Jo Bloggs", "without consent", "after the period", "Raw summary", "Consent but"):
        assert absent not in page


def test_the_period_picker_is_a_plain_get_form_that_also_updates_in_place(page):
    form = re.search(r"<form method=\"get\" action=\"/staff/reports\"[^>]*>", page).group(0)
    assert 'hx-get="/staff/reports"' in form and 'hx-target="#report"' in form
    assert 'hx-push-url="true"' in form
    assert 'name="from" type="text"\n                   value="2023-05-15"' in page or 'value="2023-05-15"' in page
    assert "hx-on" not in page


def test_an_htmx_request_gets_the_report_fragment(officer):
    response = officer.get(URL, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="report">')
    assert "<html" not in fragment and "govuk-header" not in fragment
    assert 'id="table-feedback-received"' in fragment
    plain = officer.get(URL)
    assert "HX-Request" in plain.headers["Vary"] and "<html" in plain.get_data(as_text=True)


def test_quick_picks_choose_a_financial_period(officer):
    response = officer.get("/staff/reports?pick=h1-2023")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 April 2023 to 30 September 2023" in page
    assert "/staff/reports/download.pdf?from=2023-04-01&amp;to=2023-09-30" in page
    assert 'href="/staff/reports?pick=q1-' in page and 'hx-get="/staff/reports?pick=ytd"' in page


def test_no_period_means_this_financial_year_to_date():
    picker = read_period({}, date(2024, 2, 10))
    assert picker.period == Period(date(2023, 4, 1), date(2024, 2, 10))
    assert read_period({"pick": "q4-2023"}, date(2024, 2, 10)).period == Period(date(2024, 1, 1), date(2024, 3, 31))
    assert read_period({"pick": "year-2022"}, date(2024, 2, 10)).period == Period(date(2022, 4, 1), date(2023, 3, 31))


def test_the_period_reads_dates_as_people_type_them(officer):
    as_iso = officer.get(f"/staff/reports?{QUERY}").get_data(as_text=True)
    typed = officer.get("/staff/reports?from=15%2F05%2F2023&to=14+Nov+2023")
    assert typed.status_code == 200
    page = typed.get_data(as_text=True)
    assert "There is a problem" not in page
    period = re.search(r'id="report-period-text">(.*?)</p>', page, re.S)
    assert period and period.group(1) == re.search(r'id="report-period-text">(.*?)</p>', as_iso, re.S).group(1)


@pytest.mark.parametrize(("query", "errors"), [
    ("from=2023-02-30&to=2023-06-30", ["The start date must be a real date, like 2023-04-01"]),
    ("from=2023-04-01&to=31%2F06%2F2023", ["The end date must be a real date, like 2023-04-01"]),
    ("from=&to=2023-06-30", ["Enter the start date of the period"]),
    ("from=nonsense&to=", ["The start date must be a real date, like 2023-04-01",
                           "Enter the end date of the period"]),
    ("from=2023-07-01&to=2023-06-30", ["The period must end on or after its start"]),
    ("from=2023-04-01&to=2024-04-01", ["A report covers at most 12 months"]),
    ("pick=q9-2023", ["Choose a period from the list, or enter the dates"]),
    ("from=" + "9" * 5000 + "&to=2023-06-30", ["The start date must be a real date, like 2023-04-01"]),
], ids=["not-a-date", "not-a-real-typed-date", "no-start", "nonsense-and-no-end", "backwards", "too-long",
        "unknown-pick", "huge"])
def test_a_bad_period_gets_a_govuk_error_message_never_a_500(officer, query, errors):
    response = officer.get(f"/staff/reports?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "<title>Error: " in page
    shown = [unescape(text) for text in error_summary(page)]
    assert len(shown) == len(errors)
    for text, expected in zip(shown, errors):
        assert text.startswith(expected)
    assert "govuk-error-message" in page and "govuk-input--error" in page
    assert 'id="report-downloads"' not in page
    fragment = officer.get(f"/staff/reports?{query}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200  # htmx swaps in only 2xx answers
    assert "govuk-error-summary" in fragment.get_data(as_text=True)


def test_a_bad_period_on_a_download_is_refused_with_the_error_page(officer):
    response = officer.get("/staff/reports/download.xlsx?from=2023-04-01&to=2024-06-01")
    assert response.status_code == 400
    assert "A report covers at most 12 months" in response.get_data(as_text=True)
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report_download")).all() == []


@pytest.mark.parametrize(("role", "allowed"), [
    ("report_viewer", True), ("team_manager", True), ("feedback_officer", True),
    ("feedback_manager", True), ("investigating_officer", False), ("independent_person", False),
    ("administrator", False),
])
def test_who_may_see_reports(signed_in, app, role, allowed):
    client = signed_in(role)
    response = client.get("/staff/reports?pick=q1-2023")
    assert response.status_code == (200 if allowed else 403)
    download = client.get("/staff/reports/download.zip?pick=q1-2023")
    assert download.status_code == (200 if allowed else 403)
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert ('href="/staff/reports"' in dashboard) is allowed


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_downloads_are_audited_and_hold_the_reports_figures(officer):
    xlsx = officer.get(f"/staff/reports/download.xlsx?{QUERY}")
    assert xlsx.status_code == 200
    assert xlsx.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="feedback-report_2023-05-15_2023-11-14.xlsx"' in xlsx.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(xlsx.data))
    assert workbook["learning_actions"]["B2"].value == 6
    archive = officer.get(f"/staff/reports/download.zip?{QUERY}")
    assert archive.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as files:
        assert files.read("costs.csv").decode().splitlines()[1] == "investigation,1550.50,4058.00"
    pdf = officer.get(f"/staff/reports/download.pdf?{QUERY}")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF-")

    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report_download").order_by(AuditEntry.id)).all()
    assert [(e.entity_type, e.entity_id, e.new, e.actor_id) for e in entries] == [
        ("report", "2023-05-15..2023-11-14", {"format": fmt}, officer.user.id)
        for fmt in ("xlsx", "csv", "pdf")]


def test_viewing_the_page_is_not_audited_as_a_download(page):
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report_download")).all() == []


def test_reports_are_in_the_staff_navigation(page):
    nav = re.search(r'<nav aria-label="Staff menu".*?</nav>', page, re.S).group(0)
    current = re.search(r'<li class="[^"]*--active">(.*?)</li>', nav, re.S).group(1)
    assert 'href="/staff/reports"' in current
