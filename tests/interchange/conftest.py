"""Helpers for the interchange tests: the hand-made file, lines made from records, exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
FULL = DATA / "full.jsonl"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "interchange"


def full_records() -> list[dict]:
    return [json.loads(line) for line in FULL.read_text(encoding="utf-8").splitlines()]


def record(reference: str = "CF-2023-00001", **changes) -> dict:
    """A small valid initial contact, changed as asked."""
    line = {
        "type": "feedback", "reference": reference, "kind": "initial_contact", "received_on": "2023-05-02",
        "channel": "email", "submitter": {"role": "parent_or_carer", "name": "A. Parent",
                                          "email": "parent@example.org"},
        "summary": "A question.", "initial_contact": {"outcome": "open"},
    }
    line.update(changes)
    return line


def write(path: Path, records: list) -> Path:
    """A file with one line per record (a str is written as it is)."""
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for item in records:
            file.write((item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)) + "\n")
    return path


def export_text() -> str:
    from portal.services.interchange import export

    out = io.StringIO()
    export.export(out)
    return out.getvalue()


@pytest.fixture
def lines_file(tmp_path):
    """Write records to a file and return its path: ``lines_file([record(), ...])``."""
    count = iter(range(1000))

    def make(records: list) -> Path:
        return write(tmp_path / f"file{next(count)}.jsonl", records)

    return make
