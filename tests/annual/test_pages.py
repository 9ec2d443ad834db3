"""The annual pages: what an elected member sees, the downloads, the Member's response,
the self-assessment, and an Ombudsman spreadsheet imported and reconciled."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, OmbudsmanColumn
from tests import factories
from tests.annual import data
from tests.pdfs import is_tagged
from tests.staff.conftest import make_user, signed_in  # noqa: F401 (fixtures)


@pytest.fixture
def loaded(app):
    return data.load()


def test_a_member_sees_the_figures_and_no_case(loaded, signed_in, get_page):
    member = signed_in("elected_member")
    page = get_page(member, f"/staff/annual-reports/{data.YEAR}")
    assert "Annual complaints performance and service improvement report" in page
    assert "CF-2026" not in page
    figures = get_page(member, f"/staff/ombudsman-figures?year={data.YEAR}")
    assert "67% (2 of 3)" in figures and "100% (1 of 1)" in figures and "50% (1 of 2)" in figures
    statutory = get_page(member, f"/staff/annual-reports/{data.YEAR}/statutory")
    assert "fewer than 5" in statutory and "CF-2026" not in statutory
    get_page(member, f"/staff/self-assessment/{data.YEAR}")
    for url in (f"/staff/cases/{loaded['c1'].reference}", f"/staff/people/{loaded['c1'].person_id or 1}",
                "/staff/inbox", "/staff/ombudsman-data/reconciliation", "/staff/actions",
                f"/staff/annual-reports/{data.YEAR}/member-response"):
        assert member.get(url).status_code == 404, url


def test_a_childrens_home_summary_is_for_staff_not_members(loaded, signed_in, get_page):
    # One home's twelve months are a handful of complaints, not suppressed: they could
    # point to a child, so a member is neither offered the summary nor shown it.
    home = factories.team("Children's Homes").id
    member = signed_in("elected_member")
    assert "A children's home's last 12 months" not in get_page(member, "/staff/annual-reports")
    for url in (f"/staff/annual-reports/childrens-home?team={home}",
                f"/staff/annual-reports/childrens-home.pdf?team={home}",
                f"/staff/annual-reports/childrens-home.xlsx?team={home}"):
        assert member.get(url).status_code == 404, url
    officer = signed_in("feedback_officer")
    assert "A children's home's last 12 months" in get_page(officer, "/staff/annual-reports")
    assert officer.get(f"/staff/annual-reports/childrens-home?team={home}").status_code == 200


def test_the_downloads_are_audited(loaded, signed_in):
    officer = signed_in("feedback_officer")
    response = officer.get(f"/staff/annual-reports/{data.YEAR}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book["corporate-stages"][3]] == ["Stage 1", 2, 3, 2, "67%", 1]
    statutory = load_workbook(io.BytesIO(officer.get(f"/staff/annual-reports/{data.YEAR}/statutory.xlsx").data))
    assert [c.value for c in statutory["statutory-who"][3]] == ["Children and young people, care leavers, and advocates for them", "fewer than 5"]
    pdf = officer.get(f"/staff/annual-reports/{data.YEAR}/statutory.pdf")
    assert pdf.data.startswith(b"%PDF") and is_tagged(pdf.data)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "report_download")).all()
    assert len(entries) == 3


def test_the_members_response_goes_into_the_report(loaded, signed_in, get_page):
    manager = signed_in("feedback_manager")
    response = manager.post(f"/staff/annual-reports/{data.YEAR}/member-response",
                            data={"text": "We welcome the faster answers.\n\nStage 2 must improve."})
    assert response.status_code == 302
    page = get_page(manager, f"/staff/annual-reports/{data.YEAR}")
    assert "We welcome the faster answers." in page and "Stage 2 must improve." in page
    refused = manager.post(f"/staff/annual-reports/{data.YEAR}/member-response", data={"text": ""})
    assert refused.status_code == 200 and "Enter the response of the Member" in refused.text


def test_the_self_assessment_with_last_years_answer_beside_it(loaded, signed_in, get_page):
    manager = signed_in("feedback_manager")
    for year, words in ((data.YEAR - 1, "A single policy since 2024"), (data.YEAR, "One policy, two stages")):
        response = manager.post(f"/staff/self-assessment/{year}/edit",
                                data={"complies_5_1": "yes", "how_5_1": words, "evidence_5_1": "The policy"})
        assert response.status_code == 302
    page = get_page(manager, f"/staff/self-assessment/{data.YEAR}")
    assert "Yes, we meet it. One policy, two stages" in page
    assert "Yes, we meet it. A single policy since 2024" in page
    assert "2 of 3 corporate complaints acknowledged in time (67%)" in page
    book = load_workbook(io.BytesIO(manager.get(f"/staff/self-assessment/{data.YEAR}/self-assessment.xlsx").data))
    assert book["requirement-5-1"]["B4"].value == "Yes, we meet it. One policy, two stages"


SPREADSHEET = ("Case ref,Received,Decision made,Outcome\r\n"
               "LGO 26 001,2026-08-20,2026-10-01,Upheld\r\n"
               "LGO 26 002,2026-06-01,2026-11-02,Upheld\r\n"
               "LGO 26 099,2026-07-01,2026-12-01,Not upheld\r\n")


def test_an_ombudsman_spreadsheet_is_imported_and_reconciled(loaded, signed_in, get_page):
    manager = signed_in("feedback_manager")
    response = manager.post("/staff/ombudsman-data/import", data={
        "file": (io.BytesIO(SPREADSHEET.encode()), "lgsco.csv"), "column_reference": "Case ref",
        "column_decided_on": "Decision made", "column_decision": "Outcome"},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    page = get_page(manager, "/staff/ombudsman-data/reconciliation")
    missing = page.split('id="missing"')[1].split("</table>")[0]
    assert "LGO 26 099" in missing
    differ = page.split('id="differ"')[1].split("</table>")[0]
    assert "LGO 26 002" in differ and "Not upheld" in differ and "LGO 26 001" not in differ
    assert "LGO 26 003" in page.split('id="not-complied"')[1]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "ombudsman_import")).one()
    assert entry.new == {"filename": "lgsco.csv", "rows": 3}
    # The columns are remembered for the next spreadsheet.
    assert db.session.get(OmbudsmanColumn, "decision").heading == "Outcome"
    form = get_page(manager, "/staff/ombudsman-data/import")
    assert 'value="Case ref"' in form


def test_a_column_the_file_lacks_is_refused_with_the_files_columns(loaded, signed_in):
    manager = signed_in("feedback_manager")
    response = manager.post("/staff/ombudsman-data/import", data={
        "file": (io.BytesIO(SPREADSHEET.encode()), "lgsco.csv"), "column_reference": "Reference number"},
        content_type="multipart/form-data")
    assert response.status_code == 200
    assert "The file has no column called" in response.text and "Case ref, Received" in response.text


def test_the_import_form_writes_the_ombudsmans_name_with_its_capital(loaded, signed_in, get_page):
    manager = signed_in("feedback_manager")
    form = get_page(manager, "/staff/ombudsman-data/import")
    assert "Column for the Ombudsman&#39;s reference" in form or "Column for the Ombudsman's reference" in form
    assert "ombudsman&#39;s" not in form and "ombudsman's" not in form
    response = manager.post("/staff/ombudsman-data/import", data={
        "file": (io.BytesIO(b"Number,Outcome\n1,Upheld\n"), "lgsco.csv")}, content_type="multipart/form-data")
    assert "Choose the column that holds the Ombudsman" in response.text


@pytest.mark.skipif(not shutil.which("pdftotext"),
                    reason="pdftotext is missing (apt-get install poppler-utils, as .ci/run does)")
def test_the_statutory_pdf_reads_back_with_small_numbers_hidden(loaded, signed_in, tmp_path):
    member = signed_in("elected_member")
    path = tmp_path / "statutory.pdf"
    path.write_bytes(member.get(f"/staff/annual-reports/{data.YEAR}/statutory.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Children's social care complaints: annual report" in " ".join(text.split())  # the title wraps
    assert re.search(r"Children and young people, care leavers, and advocates for them\s+fewer than 5", text)
    assert re.search(r"Parents, carers and other family members\s+withheld", text)
    assert re.search(r"Stage 1\s+7\s+7\s+7\s+0", text)
    assert "CF-2026" not in text and "LGO" not in text


def test_an_xlsx_spreadsheet_is_read_with_the_columns_remembered_from_last_time(loaded, signed_in):
    from datetime import datetime

    from openpyxl import Workbook

    from portal.models import OmbudsmanCase

    db.session.add_all([OmbudsmanColumn(field="reference", heading="Case ref"),
                        OmbudsmanColumn(field="decided_on", heading="Decided"),
                        OmbudsmanColumn(field="decision", heading="Outcome")])
    db.session.commit()
    book = Workbook()
    book.active.append(["Case ref", "Decided", "Outcome", "Complainant"])
    book.active.append(["LGO 26 002", datetime(2026, 11, 2), "Not upheld", "Not kept"])
    book.active.append(["LGO 26 077", datetime(2026, 12, 9), "Closed after initial enquiries", "Not kept"])
    content = io.BytesIO()
    book.save(content)
    manager = signed_in("feedback_manager")
    response = manager.post("/staff/ombudsman-data/import", data={
        "file": (io.BytesIO(content.getvalue()), "decided.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.text
    cases = db.session.scalars(select(OmbudsmanCase).order_by(OmbudsmanCase.id)).all()
    assert [(c.reference, c.decided_on.isoformat(), c.decision) for c in cases] == [
        ("LGO 26 002", "2026-11-02", "not_upheld"), ("LGO 26 077", "2026-12-09", "closed_after_initial_enquiries")]
    assert all("Not kept" not in repr(c.extra) for c in cases)  # only the mapped columns are kept
    page = manager.get("/staff/ombudsman-data/reconciliation").text
    assert "LGO 26 077" in page.split('id="missing"')[1].split("</table>")[0]
    assert "LGO 26 002" not in page.split('id="differ"')[1].split("</p>")[0]  # the decisions agree


@pytest.mark.skipif(not shutil.which("pdftotext"),
                    reason="pdftotext is missing (apt-get install poppler-utils, as .ci/run does)")
def test_the_annual_report_pdf_reads_back(loaded, signed_in, tmp_path):
    officer = signed_in("feedback_officer")
    path = tmp_path / "annual.pdf"
    path.write_bytes(officer.get(f"/staff/annual-reports/{data.YEAR}/report.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    words = " ".join(text.split())  # headings wrap
    assert "Annual complaints performance and service improvement report" in words
    assert re.search(r"Stage 1\s+2\s+3\s+2\s+67%\s+1", text)
    assert "The response of the Member Responsible for Complaints" in words
