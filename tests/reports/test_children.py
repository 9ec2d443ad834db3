"""The report's section on children's complaints (issue 20), its figures worked out by
hand below, in every format: the page and PDF (the document), the CSV zip and the XLSX;
the JSON stays feedback-report/1."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.extensions import db
from portal.models import Advocacy, Child
from portal.services.procedures.calendars import current_calendar
from portal.services.reports import Period, build_report
from portal.services.reports.build import build_report_and_children
from portal.services.reports.children import children_complaints
from portal.services.reports.document import build_document
from portal.services.reports.export import to_csv_zip, to_xlsx
from tests import factories

# Q2 of 2026-27.
PERIOD = Period(date(2026, 7, 1), date(2026, 9, 30))


def complaint(started_on, role, child_statuses=None, advocacy=None, **fields):
    child = Child(name="A child", statuses=child_statuses) if child_statuses is not None else None
    made = factories.complaint(factories.stage(started_on), submitter_role=role, child=child, **fields)
    if advocacy:
        made.advocacy = Advocacy(**advocacy)
        db.session.commit()
    return made


@pytest.fixture
def children(app):
    # 1. A young person in care with an EHC plan: advocate offered, accepted, in place.
    complaint(date(2026, 7, 1), "child_or_young_person", ["in_care", "ehc_plan"],
              dict(offered_on=date(2026, 7, 2), offered_how="phone", answer="accepted", answered_on=date(2026, 7, 2),
                   referred_to="Coram Voice", referred_on=date(2026, 7, 3), advocate_name="Ade",
                   in_place_on=date(2026, 7, 10)))
    # 2. A care leaver: offered, declined.
    complaint(date(2026, 7, 6), "care_leaver", ["care_leaver"],
              dict(offered_on=date(2026, 7, 7), offered_how="letter", answer="declined", answered_on=date(2026, 7, 9)))
    # 3. An advocate writing for a child not yet named: offered, accepted, not yet in place.
    complaint(date(2026, 8, 3), "advocate_or_representative", None,
              dict(offered_on=date(2026, 8, 5), offered_how="email", answer="accepted", answered_on=date(2026, 8, 5)),
              on_behalf_of_child=True)
    # 4. A young person, nothing offered yet.
    complaint(date(2026, 8, 10), "child_or_young_person")
    # 5. A parent about a child in care: about a child, not by a young person.
    complaint(date(2026, 8, 11), "parent_or_carer", ["in_care"])
    # 6. An advocate for an adult: neither.
    complaint(date(2026, 8, 12), "advocate_or_representative")
    # 7. Received before the period: not counted at all.
    complaint(date(2026, 6, 30), "child_or_young_person", ["disabled"],
              dict(offered_on=date(2026, 6, 30), offered_how="phone"))
    # 8. A young person offered an advocate only after the period ended.
    complaint(date(2026, 9, 29), "child_or_young_person", None, dict(offered_on=date(2026, 10, 2), offered_how="phone"))
    # 9. A professional about a child with nothing recorded about their circumstances.
    complaint(date(2026, 9, 30), "professional", [])


WORKED_BY_HAND = {
    "by_young_people": 5,  # 1, 2, 3, 4 and 8
    "advocate_offered": 3,  # 1, 2 and 3 (8 after the period)
    "advocate_accepted": 2,  # 1 and 3
    "advocate_in_place": 1,  # 1
    "offered_rate": 60,  # 3 of 5
    "accepted_rate": 67,  # 2 of 3 is 66.67, rounded half up
    "about_a_child": 4,  # 1, 2, 5 and 9
    "by_status": {"in_care": 2, "care_leaver": 1, "child_in_need": 0, "child_protection_plan": 0,
                  "ehc_plan": 1, "disabled": 0},
    "no_status_recorded": 1,  # 9
}


def test_the_figures_worked_by_hand(children):
    assert children_complaints(PERIOD) == WORKED_BY_HAND


def test_the_report_adds_the_section_up_in_its_count_of_complaints(children):
    # 10. A young person's complaint at Stage 2 in the period, its Stage 1 before it: a
    # Stage 2 received is not a Stage 1 complaint received, so it counts nowhere here.
    complaint_at_stage_2 = factories.complaint(
        factories.stage(date(2026, 5, 1), date(2026, 5, 20)), factories.stage(date(2026, 7, 15)),
        submitter_role="child_or_young_person", child=Child(name="Another child", statuses=["disabled"]))
    complaint_at_stage_2.advocacy = Advocacy(offered_on=date(2026, 7, 16), offered_how="phone", answer="accepted")
    db.session.commit()
    figures, section = build_report_and_children(PERIOD, current_calendar())
    assert section == WORKED_BY_HAND
    assert children_complaints(PERIOD) == WORKED_BY_HAND
    assert figures == build_report(PERIOD, current_calendar())  # the JSON's figures as they are alone
    assert figures["complaints_received"]["all"]["stage2"]["total"] == 1


def test_no_complaints_give_no_rates(app):
    figures = children_complaints(PERIOD)
    assert (figures["by_young_people"], figures["offered_rate"], figures["accepted_rate"]) == (0, None, None)


def test_every_format_has_the_section_and_the_json_stays_the_contract(children):
    figures = build_report(PERIOD, current_calendar())
    assert "children" not in figures  # feedback-report/1 allows no other key (tests/reports/test_build.py)
    section = children_complaints(PERIOD)
    document = build_document(figures, [], section)
    part = next(s for s in document.sections if s.id == "children")
    advocacy = next(p for p in part.parts if getattr(p, "id", "") == "table-children-advocacy")
    assert advocacy.rows[1] == ["An advocate was offered", "3", "60%"]
    assert advocacy.rows[2] == ["The young person accepted an advocate", "2", "67%"]

    with zipfile.ZipFile(io.BytesIO(to_csv_zip(figures, section))) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("children.csv").decode("utf-8"))))
        statuses = list(csv.reader(io.StringIO(archive.read("children_by_status.csv").decode("utf-8"))))
    assert rows[0] == ["measure", "count"] and ["by_young_people", "5"] in rows and ["accepted_rate", "67"] in rows
    assert ["in_care", "2"] in statuses and statuses[-1] == ["none_recorded", "1"]

    sheet = load_workbook(io.BytesIO(to_xlsx(figures, section)))["children_by_status"]
    assert [cell.value for cell in sheet[2]] == ["Child in care", 2]
