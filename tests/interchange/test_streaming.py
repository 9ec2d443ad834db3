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
SMALL = 5_000


def importing(path, **options):
    """The import's summary and the most memory it held at once (Python's allocations)."""
    tracemalloc.start()
    try:
        summary = import_file(path, **options)
        return summary, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_file_imports_in_bounded_memory(app, tmp_path):
    path, small = tmp_path / "large.jsonl", tmp_path / "small.jsonl"
    # Bare compliments: tracemalloc makes the import ~6x slower.
    generate.write(path, RECORDS, rich=False)
    generate.write(small, SMALL, rich=False)
    with open(path, "rb") as file:
        lines = sum(1 for _ in file)
    # What holding every record would take: measured on a thousand, times the count.
    tracemalloc.start()
    with open(path, encoding="utf-8") as file:
        sample = [json.loads(line) for _, line in zip(range(1000), file)]
    holding_all = tracemalloc.get_traced_memory()[0] * RECORDS // 1000
    del sample
    tracemalloc.stop()

    _, small_peak = importing(small, dry_run=True)  # all the work, then rolled back
    summary, peak = importing(path)

    assert summary.ok and summary.imported == RECORDS and summary.lines == lines
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == RECORDS
    # The references seen are kept (about 100 bytes each); everything else a few batches
    # at a time, however long the file: four times the records, nearly the same memory
    # (measured: 1.3 to 1.7 MB more for 15,000 more records, of some 5 to 7 MB, much of it
    # the caches a first import fills).
    assert peak - small_peak < (RECORDS - SMALL) * 300, (small_peak, peak)
    assert peak < holding_all / 3, (peak, holding_all)
