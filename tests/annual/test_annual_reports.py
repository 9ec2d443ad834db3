"""The annual reports' figures, worked out by hand in tests/annual/data.py."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.services.procedures.calendars import current_calendar
from portal.services.reports import annual, annual_documents, suppression
from tests.annual import data


@pytest.fixture
def loaded(app):
    return data.load()


def test_the_stage_figures_of_the_year(loaded):
    figures = annual.annual_figures(data.YEAR, current_calendar())
    assert figures["stages"]["corporate"] == {
        "stage1": {"received": 2, "responded": 3, "in_time": 2, "extended": 1, "acknowledged": 1},
        "stage2": {"received": 1, "responded": 1, "in_time": 1, "extended": 0, "acknowledged": 1},
    }
    assert figures["stages"]["statutory"]["stage1"] == {
        "received": 7, "responded": 7, "in_time": 7, "extended": 0, "acknowledged": 0}
    assert figures["previous_stages"]["corporate"]["stage1"]["received"] == 1
    assert figures["previous_stages"]["corporate"]["stage1"]["responded"] == 0
    assert figures["not_taken_on"] == 2
    assert figures["element_outcomes"]["statutory"]["upheld"] == 1
    assert figures["element_outcomes"]["statutory"]["not_upheld"] == 7
    assert figures["ombudsman"]["upheld"] == 2 and figures["ombudsman"]["not_upheld"] == 1
    assert figures["remedies"] == {"payments": 1, "amount": "150.00"}
    assert figures["learning"]["raised"] == 1 and figures["learning"]["completed"] == 1
    assert figures["learning"]["changes"] == [{"recommendation": "Return calls within two working days",
                                               "what_changed": "Call-back times are checked weekly"}]
    assert figures["themes"]["Communication"] == 1


def test_small_numbers_are_hidden_and_cannot_be_worked_out_from_a_total():
    assert suppression.shown(0, 5) == "0"
    assert suppression.shown(4, 5) == "fewer than 5"
    assert suppression.shown(5, 5) == "5"
    # The 6 is hidden too (7 less 6 would give the 1), and as what it is: not "fewer than 5".
    assert suppression.column([1, 6, 0], 5) == (["fewer than 5", "withheld", "0"], "7")
    assert suppression.column([11, 1, 12, 0], 5) == (["withheld", "fewer than 5", "12", "0"], "24")
    assert suppression.column([2, 3], 5) == (["fewer than 5", "fewer than 5"], "5")
    assert suppression.column([9, 6], 5) == (["9", "6"], "15")
    assert suppression.part_of(6, 7, 5) == "withheld"  # 7 less 6 would say one was late
    assert suppression.part_of(1, 7, 5) == "fewer than 5"
    assert suppression.part_of(7, 7, 5) == "7"


def test_no_count_of_5_or_more_is_printed_as_fewer_than_5():
    """A published report that says "fewer than 5" must mean it, whatever else is hidden."""
    for counts in ([1, 6, 0], [11, 1, 12, 0, 0], [4, 5], [3, 40, 7], [0, 2, 9]):
        cells, _ = suppression.column(counts, 5)
        for count, cell in zip(counts, cells, strict=True):
            assert (cell == "fewer than 5") == suppression.is_small(count, 5), (counts, cells)
    for part, whole in ((6, 7), (1, 7), (0, 1), (9, 9), (3, 20)):
        assert (suppression.part_of(part, whole, 5) == "fewer than 5") == suppression.is_small(part, 5)


def test_not_taken_on_is_said_to_be_decisions_not_to_accept_not_referrals(loaded):
    """The figure counts decisions not to accept a complaint (N1 and N2 in data.py), not the
    initial contacts referred elsewhere, and the words say so."""
    from portal.services.reports import self_assessment

    document = annual_documents.annual_document(annual.annual_figures(data.YEAR, current_calendar()))
    sections = {s.id: s for s in document.sections}
    text = sections["not-taken-on"].parts[0].text
    assert text.startswith("2 complaints (or requests for one) were not taken on") and "referred to" not in text
    summary = repr(sections["summary"])
    assert "2 complaints not taken on under a complaints procedure." in summary and "referred" not in summary
    filled = self_assessment.portal_figures(data.YEAR, current_calendar())
    assert filled["not_taken_on"] == "2 complaints not taken on under a complaints procedure."


def test_the_statutory_report_names_no_one_and_hides_small_numbers(loaded):
    figures = annual.statutory_figures(data.YEAR, current_calendar())
    assert figures["who"] == {"child": 1, "family": 6, "other": 0}
    assert figures["advocacy"] == {"requested": 1}
    document = annual_documents.statutory_document(figures, 5)
    tables = {p.id: p for s in document.sections for p in s.parts if p.kind == "table"}
    assert tables["statutory-who"].rows[0][1] == "fewer than 5"
    assert tables["statutory-who"].rows[1][1] == "withheld"  # 6 family members: hidden, not "fewer than 5"
    assert tables["statutory-who"].foot == ["Total", "7"]
    assert tables["statutory-stages"].rows[0] == ["Stage 1", "7", "7", "7", "0"]
    text = repr(document)
    for identifying in ("CF-2026", "LGO", "Return calls", "Person"):
        assert identifying not in text
    # A higher threshold, as the setting may give, hides more.
    assert annual_documents.statutory_document(figures, 8).sections[1].parts[0].rows[0][1] == "fewer than 8"


def test_a_childrens_home_summary(loaded):
    from datetime import date

    from portal.extensions import db
    from tests import factories

    home = factories.team("Children's Homes")
    for record in (loaded["s1"],):
        record.team_id = home.id
    db.session.commit()
    summary = annual.home_summary(home.id, date(2027, 3, 31), current_calendar())
    assert summary["complaints"] == 1 and summary["from_children"] == 1
    assert summary["answered"] == 1 and summary["in_time"] == 1
    assert summary["outcomes"]["upheld"] == 1 and summary["ombudsman"] == 1
    assert summary["period"] == {"from": "2026-04-01", "to": "2027-03-31"}


def test_the_xlsx_has_a_sheet_a_table_with_numbers_as_numbers(loaded):
    document = annual_documents.annual_document(annual.annual_figures(data.YEAR, current_calendar()))
    book = load_workbook(io.BytesIO(annual_documents.to_xlsx(document)))
    sheet = book["corporate-stages"]
    assert [c.value for c in sheet[3]] == ["Stage 1", 2, 3, 2, "67%", 1]
    assert book["Report"]["A1"].value == "Annual complaints performance and service improvement report"


def test_the_statutory_themes_count_stage_1_so_no_total_gives_away_a_hidden_stage_2(loaded):
    # One of the seven statutory complaints goes on to Stage 2: the stages table hides that
    # 1. Counted over Stages 1 and 2, the themes table's total would be 8, and 8 less the 7
    # at Stage 1 would give it away; counted at Stage 1, as "who" is, its total is the 7.
    from datetime import date

    from portal.extensions import db
    from tests import factories

    stage_2 = factories.stage(date(2026, 5, 20), date(2026, 6, 10))
    stage_2.number = 2
    loaded["s1"].stages.append(stage_2)
    db.session.commit()
    figures = annual.statutory_figures(data.YEAR, current_calendar())
    assert figures["stages"]["statutory"]["stage2"]["received"] == 1
    tables = {p.id: p for s in annual_documents.statutory_document(figures, 5).sections
              for p in s.parts if p.kind == "table"}
    assert tables["statutory-stages"].rows[1][:2] == ["Stage 2", "fewer than 5"]
    assert tables["statutory-themes"].foot == ["Total", "7"]
    assert all("8" not in (t.foot or []) for t in tables.values())
