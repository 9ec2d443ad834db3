"""``flask retention purge``: the issue's "done when", run through the command line."""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback


def test_the_dry_run_lists_and_changes_nothing(runner, personal_data):
    result = runner.invoke(args=["retention", "purge", "--dry-run", "--as-of", "2031-01-01"])
    assert result.exit_code == 0, result.output
    assert "would remove  CF-TEST-" in result.output and "nothing was changed" in result.output
    assert db.session.scalar(select(Feedback.id).where(Feedback.purged_at.is_not(None))) is None


def test_purge_as_of_2031_keeps_the_2023_report_and_the_export_holds_no_purged_person(
        runner, personal_data, tmp_path):
    args = ["report", "--from", "2023-04-01", "--to", "2023-09-30"]
    before = runner.invoke(args=args)
    assert before.exit_code == 0, before.output

    purged = runner.invoke(args=["retention", "purge", "--as-of", "2031-01-01"])
    assert purged.exit_code == 0, purged.output
    assert "removed  CF-TEST-" in purged.output and "audit entries redacted" in purged.output

    after = runner.invoke(args=args)
    assert json.loads(after.output) == json.loads(before.output)

    path = tmp_path / "export.jsonl"
    exported = runner.invoke(args=["data", "export", str(path)])
    assert exported.exit_code == 0, exported.output
    text = path.read_text()
    gone = {r for r in db.session.scalars(select(Feedback.reference).where(Feedback.purged_at.is_not(None)))}
    assert gone
    for person in personal_data:
        if person["reference"] in gone:
            assert person["name"] not in text and person["email"] not in text and person["phone"] not in text


def test_a_bad_date_is_refused_clearly(runner):
    result = runner.invoke(args=["retention", "purge", "--as-of", "2031-02-30"])
    assert result.exit_code != 0
    assert "not a date" in result.output and "YYYY-MM-DD" in result.output
