"""The seed report, reproduced: a data set made to match it (seed_report/generate.py) is
imported with ``flask data import`` and ``flask report`` must give every figure of the seed
that REPORT.md has a field for (seed_report/expected.py), its two slips corrected."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest

from portal.services.reports.counting import percentage
from tests.reports.seed_report import generate
from tests.reports.seed_report.expected import EXPECTED, FROM, PERCENTAGES, TO
from tests.reports.test_build import SHARED_SCHEMA


@pytest.fixture
def report(runner, tmp_path) -> dict:
    """Generate the file, import it and ask for the report, as a person would."""
    path = generate.write(tmp_path / "seed-report.jsonl")
    imported = runner.invoke(args=["data", "import", str(path)])
    assert imported.exit_code == 0, imported.output
    feedback = sum(1 for line in generate.lines() if line["type"] == "feedback")
    assert f"Feedback records imported: {feedback}" in imported.stdout
    assert "Contact restrictions imported: 5" in imported.stdout
    result = runner.invoke(args=["report", "--from", FROM, "--to", TO, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


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


def at(report: dict, path: str):
    value = report
    for key in path.split("."):
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


def test_every_figure_of_the_seed_is_reproduced(report):
    problems = differences(EXPECTED, report)
    assert not problems, "figures that differ from the seed's:\n" + "\n".join(sorted(problems))


def test_the_seeds_percentages_follow_from_the_counts(report):
    """The percentages the portal prints (rounded half up) from the report's counts."""
    problems = []
    for what, part, whole, places, seed in PERCENTAGES:
        share = percentage(at(report, part), whole if isinstance(whole, int) else at(report, whole), places)
        if share != seed:
            problems.append(f"{what}: the seed gives {seed}%, the counts give {share}%")
    assert not problems, "\n".join(problems)


def test_the_report_keeps_to_the_shared_schema(report):
    schema = json.loads(SHARED_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(report)


def test_the_file_keeps_to_the_interchange_schema(tmp_path):
    from tests.interchange.conftest import SHARED

    schema = json.loads((SHARED / "record.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
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
