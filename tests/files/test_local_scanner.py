"""make run's own clamd (portal/services/files/local_scanner.py, portal/supervise.py):
which signatures it uses, and that a scanner already set is left alone. The daemon itself
is started for real in tests/deploy/test_supervise.py."""

from __future__ import annotations

import pytest

from portal import supervise
from portal.services.files import local_scanner
from tests.clamd import CLAMD


def test_without_freshclams_signatures_it_knows_the_eicar_test_file_only(tmp_path):
    empty = tmp_path / "var-lib-clamav"
    empty.mkdir()
    argv, socket, known = local_scanner.prepare(tmp_path / "clamd", database=empty) or pytest.skip("no clamd")
    config = (tmp_path / "clamd" / "clamd.conf").read_text()
    assert f"LocalSocket {socket}" in config
    assert f"DatabaseDirectory {tmp_path / 'clamd' / 'db'}" in config
    signature = (tmp_path / "clamd" / "db" / "portal-eicar.ndb").read_text()
    assert signature.startswith("Portal-Test-EICAR:0:*:") and local_scanner.eicar().hex() in signature
    assert "only the EICAR test file" in known and "freshclam" in known
    assert argv[1:] == ["-c", str(tmp_path / "clamd" / "clamd.conf")]


def test_with_freshclams_signatures_it_uses_them(tmp_path):
    database = tmp_path / "var-lib-clamav"
    database.mkdir()
    (database / "main.cvd").write_bytes(b"ClamAV-VDB:")
    prepared = local_scanner.prepare(tmp_path / "clamd", database=database) or pytest.skip("no clamd")
    assert f"DatabaseDirectory {database}\n" in (tmp_path / "clamd" / "clamd.conf").read_text()
    assert not (tmp_path / "clamd" / "db").exists()
    assert str(database) in prepared[2]


def test_a_scanner_already_set_is_used_and_none_is_started(monkeypatch, tmp_path):
    monkeypatch.setenv("CLAMD_HOST", "scanner.internal")
    monkeypatch.setenv("LOCAL_CLAMD_FOLDER", str(tmp_path / "clamd"))
    named = {"worker": ["w"], "web": ["x"]}
    assert supervise.with_local_scanner(named) == named
    assert not (tmp_path / "clamd").exists()


@pytest.mark.skipif(CLAMD is None, reason="clamd is not installed")
def test_make_run_starts_its_own_clamd_and_points_the_portal_at_it(monkeypatch, tmp_path):
    # Set (empty) rather than deleted, so that what the supervisor sets is undone after the
    # test: a CLAMD_SOCKET left behind would send every later test's uploads to a scanner
    # that is gone.
    monkeypatch.setenv("CLAMD_HOST", "")
    monkeypatch.setenv("CLAMD_SOCKET", "")
    monkeypatch.setenv("LOCAL_CLAMD_FOLDER", str(tmp_path / "clamd"))
    named = supervise.with_local_scanner({"worker": ["w"], "web": ["x"]})
    assert list(named) == ["scanner", "worker", "web"]
    assert named["scanner"][0] == CLAMD
    import os

    assert os.environ["CLAMD_SOCKET"] == str(tmp_path / "clamd" / "clamd.sock")


def test_the_supervisors_scanner_is_not_left_set_for_other_tests():
    """After the test above (same module, same worker): nothing points at its clamd."""
    import os

    assert not os.environ.get("CLAMD_SOCKET")
