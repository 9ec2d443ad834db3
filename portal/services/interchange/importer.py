"""Import a file of the interchange format (FORMAT.md): check every line, load it all or nothing.

One pass over the file, streaming line by line. Every line is checked against the schema
(with a format checker, so impossible dates are refused) and the rules of ``rules.py``;
every problem is reported with its line number and field. Only the references and
restriction identities seen so far are kept. The lines found right are loaded as the pass
goes (``loading.py``), in batches of ``BATCH`` lines with bulk inserts, in one
transaction: at the first problem the loading stops and is rolled back, and the pass goes
on only checking; the transaction is committed only once the last line was found right.
So all of the file goes in, or none of it. A record whose reference exists is skipped, or
with ``update=True`` replaced; a restriction likewise by its identity. A dry run does all
of it and rolls back, so its summary is exactly what the import would do.

``check_file`` only checks, loading nothing.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from portal.extensions import db
from portal.services.common import audit
from portal.services.interchange import schema
from portal.services.interchange.loading import Loader
from portal.services.interchange.rules import Rules
from portal.services.interchange.summary import LineError, Summary
from portal.services.common.text import BIDI_CONTROLS, strip_bidi_controls_within

BATCH = 1000

Progress = Callable[[int], Any]  # told how many bytes of the file have been read


def import_file(
    path: str | os.PathLike,
    *,
    update: bool = False,
    dry_run: bool = False,
    on_error: Callable[[LineError], Any] | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Check every line and load the file in one transaction, kept only if nothing is wrong.

    One pass: each line is checked, and the lines found right are loaded as the pass goes
    (the loader never sees a line before it has been checked). At the first problem the
    loading stops and is rolled back, and the pass goes on only checking, to report every
    problem; the transaction is committed only after the last line was found right.
    """
    summary = Summary(dry_run=dry_run, update=update)
    rules = Rules()
    loader = Loader(update, summary)
    batch: list[dict] = []
    try:
        for number, text, size in _lines(path):
            record, problems = _checked(rules, number, text)
            if problems:
                if summary.ok:
                    loader.close()
                    db.session.rollback()
                summary.error_count += len(problems)
                for problem in problems:
                    (summary.errors.append if on_error is None else on_error)(problem)
            elif summary.ok:
                batch.append(record)
                summary.lines += 1
                if len(batch) >= BATCH:
                    loader.load(batch)
                    batch = []
            if progress:
                progress(size)
        if summary.ok:
            if batch:
                loader.load(batch)
            loader.finish()
    except BaseException:
        loader.close()
        db.session.rollback()
        raise
    loader.close()
    if dry_run or not summary.ok:
        db.session.rollback()
    else:
        # The rows went in through the driver, not the session's audited flush: one entry
        # for the import, in its transaction, says what it did.
        audit.record(None, "data_imported", new={"file": os.path.basename(path), **summary.counts()})
        db.session.commit()
    return summary


def check_file(path: str | os.PathLike, progress: Progress | None = None) -> Iterator[LineError]:
    """Every problem of the file, line by line, with its field (and nothing loaded)."""
    rules = Rules()
    for number, text, size in _lines(path):
        if progress:
            progress(size)
        yield from _checked(rules, number, text)[1]


def _checked(rules: Rules, number: int, text: str | None) -> tuple[dict | None, list[LineError]]:
    """A line's record, and its problems against the schema and the rules."""
    if text is None:
        return None, [LineError(number, "", "is not UTF-8 text")]
    try:
        record = _parse(text)
    except ValueError as error:
        return None, [LineError(number, "", f"is not a JSON object: {error}")]
    problems = list(schema.problems(record))
    if not problems:
        problems = list(rules.problems(record, number, nul="\\u0000" in text))
    return record, [LineError(number, where, message) for where, message in problems]


def _lines(path: str | os.PathLike) -> Iterator[tuple[int, str | None, int]]:
    """(line number, text or None if not UTF-8, bytes) for each line that is not blank."""
    skipped = 0  # bytes of blank lines, counted with the next line for the progress bar
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None, len(raw) + skipped
                skipped = 0
                continue
            if number == 1:
                text = text.removeprefix("\ufeff")
            if text.strip():
                yield number, text, len(raw) + skipped
                skipped = 0
            else:
                skipped += len(raw)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


# A line that may hold a bidirectional control character, as itself or as a \\u escape:
# only such lines are walked to remove them (portal/services/common/text.py), so the rest cost nothing.
_MAYBE_BIDI = re.compile(f"[{BIDI_CONTROLS}]|\\\\u(?:20(?:0[ef]|2[a-e]|6[6-9])|061c)", re.IGNORECASE)


def _parse(text: str) -> object:
    record = json.loads(text, parse_constant=_refuse_constant)
    if _MAYBE_BIDI.search(text):
        record = strip_bidi_controls_within(record)
    return record
