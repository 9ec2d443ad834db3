"""``flask data export PATH`` writes personal data: only its owner may read the file
(issue 14, item 15), whatever the umask of the shell that ran it."""

from __future__ import annotations

import os
import stat

import pytest

from tests.interchange.conftest import FULL


@pytest.fixture
def lax_umask():
    old = os.umask(0o022)  # the usual default: new files readable by everyone
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_export_file_is_readable_by_its_owner_only(app, runner, tmp_path, lax_umask):
    assert runner.invoke(args=["data", "import", str(FULL)]).exit_code == 0
    target = tmp_path / "export.jsonl"
    result = runner.invoke(args=["data", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert _mode(target) == 0o600
    assert target.read_bytes() == FULL.read_bytes()


def test_an_export_over_an_old_readable_file_leaves_it_readable_by_its_owner_only(app, runner, tmp_path,
                                                                                 lax_umask):
    target = tmp_path / "export.jsonl"
    target.write_text("old\n")
    (tmp_path / "export.jsonl.part").write_text("left by a failed export\n")
    os.chmod(target, 0o644)
    os.chmod(tmp_path / "export.jsonl.part", 0o666)
    assert runner.invoke(args=["data", "export", str(target)]).exit_code == 0
    assert _mode(target) == 0o600
