"""Large files stream: memory stays bounded whatever the number of records."""

from __future__ import annotations

import json
import tracemalloc

from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Feedback
from portal.services.interchange import import_file
from tests.interchange import generate

RECORDS = 20_000


def test_a_large_file_imports_in_bounded_memory(app, tmp_path):
    path = tmp_path / "large.jsonl"
    generate.write(path, RECORDS, rich=False)  # bare compliments: tracemalloc makes the import ~6x slower
    with open(path, "rb") as file:
        lines = sum(1 for _ in file)
    # What holding every record would take: measured on a thousand, times the count.
    tracemalloc.start()
    with open(path, encoding="utf-8") as file:
        sample = [json.loads(line) for _, line in zip(range(1000), file)]
    holding_all = tracemalloc.get_traced_memory()[0] * RECORDS // 1000
    del sample
    tracemalloc.stop()

    tracemalloc.start()
    try:
        summary = import_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert summary.ok and summary.imported == RECORDS and summary.lines == lines
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == RECORDS
    # The references seen are kept (about 100 bytes each); everything else a batch at a time.
    assert peak < holding_all / 4, (peak, holding_all)
    assert peak < 6_000_000, peak
