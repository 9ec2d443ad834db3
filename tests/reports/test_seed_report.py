"""The seed report, reproduced: a data set made to match it (seed_report/generate.py) is
imported with ``flask data import`` and ``flask report`` must give every figure of the seed
that REPORT.md has a field for (seed_report/expected.py), the seed's slips corrected."""

from __future__ import annotations

import json
from datetime import date

import pytest

from portal.services.interchange import schema as record_schema
from portal.services.reports.document import Chart, Table, build_document
from tests.reports.seed_report import generate
from tests.reports.seed_report.expected import EXPECTED, FROM, SEED_TABLES, TO
from tests.reports.test_build import validate


@pytest.fixture
def imported(runner, tmp_path):
    """Generate the file and import it, as a person would."""
    path = generate.write(tmp_path / "seed-report.jsonl")
    result = runner.invoke(args=["data", "import", str(path)])
    assert result.exit_code == 0, result.output
    feedback = sum(1 for line in generate.lines() if line["type"] == "feedback")
    assert f"Feedback records imported: {feedback}" in result.stdout
    assert "Contact restrictions imported: 5" in result.stdout


def report_for(runner, start: str, end: str) -> dict:
    result = runner.invoke(args=["report", "--from", start, "--to", end, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def report(runner, imported) -> dict:
    return report_for(runner, FROM, TO)


def differences(expected, found, path: str = "") -> list[str]:
    """Each figure that differs, as "path: the seed gives X, the report gives Y"."""
    if isinstance(expected, dict) and isinstance(found, dict):
        problems = []
        for key in expected.keys() | found.keys():
            where = f"{path}.{key}" if path else key
            if key not in found:
                problems.append(f"{where}: the seed gives {expected[key]!r}, the report has no such figure")
            elif key not in expected:
                if not path and key in NOT_FROM_THE_SEED:
                    continue
                # Otherwise a name in a map (a team, a theme) that the seed does not have.
                problems.append(f"{where}: the report gives {found[key]!r}, the seed has none")
            else:
                problems.extend(differences(expected[key], found[key], where))
        return problems
    if expected != found or type(expected) is not type(found):
        return [f"{path}: the seed gives {expected!r}, the report gives {found!r}"]
    return []


# The report's keys that are not figures of the seed.
NOT_FROM_THE_SEED = {"format"}


def test_every_figure_of_the_seed_is_reproduced(report):
    problems = differences(EXPECTED, report)
    assert not problems, "figures that differ from the seed's:\n" + "\n".join(sorted(problems))


def printed_tables(report: dict) -> dict[str, dict[str, list[str]]]:
    """The report's tables as the page and the PDF print them: {id: {row label: cells}}."""
    tables = {}
    for section in build_document(report, []).sections:
        for part in section.parts:
            table = part.table if isinstance(part, Chart) else part
            if isinstance(table, Table):
                rows = [*table.rows, *([table.foot] if table.foot else [])]
                tables[table.id] = {row[0]: row[1:] for row in rows}
    return tables


def test_the_seeds_tables_are_printed_with_its_percentages_and_changes(report):
    tables = printed_tables(report)
    problems = []
    for table_id, rows in SEED_TABLES.items():
        for label, cells in rows.items():
            found = tables.get(table_id, {}).get(label)
            if found is None:
                problems.append(f"{table_id}, {label}: the seed has this row, the report does not")
                continue
            for i, (seed, printed) in enumerate(zip(cells, found, strict=True)):
                if seed is not None and seed != printed:
                    problems.append(f"{table_id}, {label}, column {i + 2}: the seed gives {seed}, "
                                    f"the report prints {printed}")
    assert not problems, "\n".join(problems)


def test_each_quarters_own_report_gives_its_column_of_the_half_year(runner, report):
    """Every by_quarter figure of the half year, against the reports for Q1 and Q2 alone."""
    quarters = [report_for(runner, q["from"], q["to"]) for q in report["quarters"]]
    problems, compared = [], []

    def walk(node, own: list, path: str) -> None:
        if isinstance(node, dict) and "by_quarter" in node:
            compared.append(path)
            for i, quarter in enumerate(own):
                if quarter["by_quarter"] != [node["by_quarter"][i]]:
                    problems.append(f"{path}: the half year gives {node['by_quarter'][i]} for "
                                    f"Q{i + 1}, Q{i + 1}'s own report {quarter['by_quarter']}")
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, dict):
                    walk(value, [quarter[key] for quarter in own], f"{path}.{key}".strip("."))

    walk(report, quarters, "")
    assert len(compared) == 6 + 6 + 8 + 6
    assert not problems, "\n".join(problems)


def test_the_report_keeps_to_its_schema(report):
    validate(report)  # the shipped copy of report.schema.json, which a test keeps equal to the shared one


def test_the_file_keeps_to_the_record_schema():
    validator = record_schema.validator()  # the shipped record.schema.json, with a format checker
    for line in generate.lines():
        validator.validate(line)


def test_the_generator_counts_working_days_as_domain_md_does():
    """Its own count, independent of the portal's: DOMAIN.md's example, and the bank
    holidays its clocks are placed around."""
    assert generate.working_day(date(2023, 5, 20), 10) == date(2023, 6, 5)
    assert generate.working_day(date(2023, 4, 27), 10) == date(2023, 5, 15)
    assert generate.working_day(date(2023, 8, 17), 10) == date(2023, 9, 1)
    assert generate.working_day(date(2022, 9, 12), 10) == date(2022, 9, 27)


def test_the_generator_writes_the_same_file_every_time(tmp_path):
    first = generate.write(tmp_path / "a.jsonl").read_bytes()
    assert generate.write(tmp_path / "b.jsonl").read_bytes() == first
