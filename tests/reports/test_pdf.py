"""The report as a PDF (WeasyPrint): made by ``flask report --format pdf`` and the reports
page, A4 with "Page N of M" on every page, the organisation's name, the charts, and every
table's figures as the JSON has them (read back with pdftotext, from poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from portal.extensions import db
from portal.models import Feedback
from portal.services.reports.document import build_document
from tests.pdfs import is_tagged
from tests.reports.expected import EXPECTED

PERIOD = ["--from", "2023-05-15", "--to", "2023-11-14"]

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="pdftotext is missing (apt-get install poppler-utils, as .ci/run does)")


def pdf_text(path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def made(runner, report_data, tmp_path):
    path = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", *PERIOD, "--format", "pdf", "--output", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def text(made) -> str:
    """The PDF's text in drawing order (-raw), so a table row reads as one run of words."""
    return words(pdf_text(made, "-raw"))


def test_the_command_writes_a_pdf(made):
    assert made.read_bytes().startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", str(made)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    assert "Customer feedback report: 15 May 2023 to 14 November 2023" in info
    assert is_tagged(made.read_bytes())  # a screen reader can follow its headings and tables


def test_without_output_the_pdf_gets_a_named_file(runner, report_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["report", *PERIOD, "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "Report written to feedback-report_2023-05-15_2023-11-14.pdf" in result.output
    assert (tmp_path / "feedback-report_2023-05-15_2023-11-14.pdf").read_bytes().startswith(b"%PDF-")


def test_every_page_is_numbered_and_names_the_organisation(app, made, text):
    pages = int(re.search(r"Page 1 of (\d+)", text).group(1))
    assert pages >= 3
    assert re.findall(r"Page (\d+) of \d+", text) == [str(n) for n in range(1, pages + 1)]
    assert set(re.findall(r"Page \d+ of (\d+)", text)) == {str(pages)}
    org = app.config["ORG_NAME"]
    assert text.startswith(f"{org} Customer feedback report 15 May 2023 to 14 November 2023")
    assert text.count(org) == pages  # the first page's own heading, then every later page's header
    assert "&#39;" not in text


def test_every_table_holds_the_jsons_figures(text):
    document = build_document(EXPECTED, [])
    tables = [part.table if part.kind == "chart" else part
              for section in document.sections for part in section.parts
              if part.kind in ("table", "chart")]
    assert len(tables) == 19
    for table in tables:
        assert table.caption in text
        for row in table.rows + ([table.foot] if table.foot else []):
            assert words(" ".join(row)) in text, (table.id, row)


def test_the_pdf_shows_the_figures_of_the_json(text):
    received = EXPECTED["feedback_received"]
    assert f"Compliments {' '.join(map(str, received['compliments']['by_quarter']))} 4" in text
    assert "Stage 1 complaints 2 1 3 6" in text
    assert "Investigating complaints £1,550.50 £4,058.00" in text
    assert "Financial remedies paid £800.00 £0.00" in text
    assert "Stage 1 100% (2 of 2) 50% (1 of 2) 100% (2 of 2) 83% (5 of 6)" in text
    assert "Early Help 2 33.3%" in text
    assert "Stage 1 2 0 0 2 1 +1" in text  # statutory Stage 1: 2 now, 1 a year earlier
    assert "This period 37.0 Same period last year 1.3" in text
    assert "Raised in the period 6" in text and "Open and past their due date 3" in text
    assert "3 letters about unreasonably persistent contact were sent, compared with 1" in text
    for title in ("Highlights", "Feedback received", "Compliments", "Initial contacts",
                  "Complaints received", "Stage 1 complaints", "Timeliness",
                  "Outcomes of complaint elements", "Stage 2 complaints",
                  "Local Government and Social Care Ombudsman", "Costs and remedies",
                  "Letters about persistent contact", "Learning and improvement"):
        assert title in text


def test_the_charts_are_in_the_pdf(text):
    # The SVGs keep their text, so their axis labels and legends are in the PDF's text.
    assert text.count("Number received") == 1  # the feedback chart's axis
    assert "Elements" in text and text.count("Complaints Not recorded Case management") == 1


def test_compliment_examples_in_the_pdf_are_the_cleared_words(runner, report_data, tmp_path):
    db.session.add(Feedback(
        reference="CF-TEST-99001", kind="compliment", received_on=date(2023, 8, 1), channel="web",
        submitter_role="parent_or_carer", summary="Raw words naming Jo Bloggs",
        publish_consent=True, anonymised_text="Our worker went the extra mile."))
    db.session.commit()
    path = tmp_path / "r.pdf"
    assert runner.invoke(args=["report", *PERIOD, "--format", "pdf", "--output", str(path)]).exit_code == 0
    text = words(pdf_text(path, "-raw"))
    assert "Not recorded Our worker went the extra mile." in text
    assert "Jo Bloggs" not in text



def headings(document) -> set[str]:
    """Every heading of the report as the PDF prints it: section and chart titles (h2,
    h3) and table captions."""
    found = set()
    for section in document.sections:
        found.add(section.title)
        for part in section.parts:
            if part.kind == "chart":
                found |= {part.title, part.table.caption}
            elif part.kind == "table":
                found.add(part.caption)
    return found


def lead_ins(document) -> list[str]:
    """The paragraphs that introduce the table or chart after them."""
    return [words(part.text) for section in document.sections
            for part, following in zip(section.parts, section.parts[1:])
            if part.kind == "paragraph" and following.kind in ("table", "chart")]


def last_lines(path, pages: int) -> list[str]:
    """The last line of each page's body, above the footer's "Page N of M"."""
    ends = []
    for page in range(1, pages + 1):
        lines = [words(line) for line in pdf_text(path, "-f", str(page), "-l", str(page)).splitlines()
                 if line.strip() and not re.fullmatch(r"\s*Page \d+ of \d+\s*", line)]
        ends.append(lines[-1])
    return ends


@pytest.mark.parametrize("examples", [0, 1, 3, 6])
def test_no_page_ends_with_a_heading_or_what_leads_into_a_table(runner, report_data, tmp_path, examples):
    # Issue 13: a section's heading and the sentence under it were left at the foot of a
    # page, the table they introduce on the next. Compliment examples, more or fewer,
    # move every later heading up or down the pages.
    from portal.services.procedures.calendars import current_calendar
    from portal.services.reports import Period, build_report
    from portal.services.reports.document import compliment_examples

    for n in range(examples):
        db.session.add(Feedback(
            reference=f"CF-TEST-{99100 + n}", kind="compliment", received_on=date(2023, 8, 1), channel="web",
            submitter_role="parent_or_carer", summary="Thank you", publish_consent=True,
            anonymised_text="Our worker listened to us and kept every promise she made. " * (1 + n % 3)))
    db.session.commit()
    path = tmp_path / "r.pdf"
    assert runner.invoke(args=["report", *PERIOD, "--format", "pdf", "--output", str(path)]).exit_code == 0
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    period = Period.parse("2023-05-15", "2023-11-14")
    document = build_document(build_report(period, current_calendar()), compliment_examples(period))
    titles, leads = headings(document), lead_ins(document)
    ends = last_lines(path, int(re.search(r"Pages:\s+(\d+)", info).group(1)))
    assert len(ends) >= 3
    stranded = [(page, end) for page, end in enumerate(ends, start=1)
                if end in titles or any(lead == end or lead.endswith(" " + end) for lead in leads)]
    assert stranded == []
