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

Version 2 (a zip: ``documents``) is read the same way: its ``records.jsonl`` holds version
1's lines, then the document lines, each checked with the file it names and loaded, once
every record is in, into its record's case file.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from portal.extensions import db
from portal.services.common import audit
from portal.services.interchange import children, schema
from portal.services.interchange.documents import Archive, DocumentLoader, DocumentRules, NotAnArchive, is_archive
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
    with contextlib.ExitStack() as opened:
        try:
            source, archive = _opened(path, opened)
        except NotAnArchive as error:
            problem = LineError(0, "", f"{os.path.basename(path)} {error}")
            summary.error_count += 1
            (summary.errors.append if on_error is None else on_error)(problem)
            return summary
        summary.archive = archive is not None
        _import_lines(source, archive, summary, update, on_error, progress)
    if dry_run or not summary.ok:
        db.session.rollback()
    else:
        # The rows went in through the driver, not the session's audited flush: one entry
        # for the import, in its transaction, says what it did.
        audit.record(None, "data_imported", new={"file": os.path.basename(path), **summary.counts()})
        db.session.commit()
    return summary


def _opened(path, opened: contextlib.ExitStack) -> tuple[IO[bytes], Archive | None]:
    """The lines to read: the file itself (version 1), or an archive's records.jsonl."""
    if is_archive(path):
        archive = opened.enter_context(Archive(path))
        return opened.enter_context(archive.records()), archive
    return opened.enter_context(open(path, "rb")), None


def _import_lines(source: IO[bytes], archive: Archive | None, summary: Summary, update: bool,
                  on_error, progress) -> None:
    rules = Rules()
    loader = Loader(update, summary, version=1 if archive is None else 2)
    settings = document_rules = document_loader = child_rules = None
    if archive is not None:
        from portal.services.files.documents import FileSettings

        settings = FileSettings.from_app()
        document_rules = DocumentRules(archive, settings)
        child_rules = children.ChildRules()
    batch: list[dict] = []
    collections = _Collections()
    try:
        for number, text, size in _lines(source):
            record, problems = _checked(rules, number, text, document_rules, child_rules)
            if problems:
                if summary.ok:
                    loader.close()
                    db.session.rollback()
                summary.error_count += len(problems)
                for problem in problems:
                    (summary.errors.append if on_error is None else on_error)(problem)
            elif summary.ok and record["type"] == "document":
                if document_loader is None:  # every record is in: the documents follow them
                    if batch:
                        loader.load(batch)
                        batch = []
                    loader.finish()
                    document_loader = DocumentLoader(archive, settings, loader.skipped_references)
                document_loader.load(record)
                summary.lines += 1
            elif summary.ok:
                batch.append(record)
                summary.lines += 1
                if len(batch) >= BATCH:
                    loader.load(batch)
                    batch = []
                    collections.batch_done()
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
    finally:
        collections.close()
    loader.close()
    if document_loader is not None:
        summary.documents_imported = document_loader.added
        summary.documents_skipped = document_loader.passed


class _Collections:
    """Python's cycle collector held back while the import runs, and run every
    ``_COLLECT_EVERY`` batches instead.

    An import makes millions of small dicts and lists that outlive a few collections (a
    batch lives until it is written), so the collector ran thousands of times, each time
    walking the batches held and, at each full collection, every object of the app
    (models, the schema's compiled checks): a fifth to a third of the main thread's
    time. The objects of the app are set aside from collections (``gc.freeze``) and
    the batches' are freed by their reference counts as before; the few cycles an
    import leaves (a few dozen objects a batch, SQLAlchemy's compiled statements) are
    collected every so many batches, so memory stays bounded. Everything is as it was
    afterwards."""

    def __init__(self) -> None:
        self.enabled = gc.isenabled()
        self.frozen = self.enabled and gc.get_freeze_count() == 0  # none set aside by anyone else
        self.batches = 0
        if self.frozen:
            gc.freeze()
        if self.enabled:
            gc.disable()

    def batch_done(self) -> None:
        self.batches += 1
        if self.enabled and self.batches % _COLLECT_EVERY == 0:
            gc.collect()

    def close(self) -> None:
        if self.frozen:
            self.frozen = False
            gc.unfreeze()
        if self.enabled:
            self.enabled = False
            gc.enable()


_COLLECT_EVERY = 50


def check_file(path: str | os.PathLike, progress: Progress | None = None) -> Iterator[LineError]:
    """Every problem of the file, line by line, with its field (and nothing loaded)."""
    rules = Rules()
    with open(path, "rb") as file:
        for number, text, size in _lines(file):
            if progress:
                progress(size)
            yield from _checked(rules, number, text)[1]


def _checked(rules: Rules, number: int, text: str | None, documents: DocumentRules | None = None,
             child_rules: children.ChildRules | None = None) -> tuple[dict | None, list[LineError]]:
    """A line's record, and its problems against the schema and the rules (in an archive,
    a document line against its own, with its file, and a feedback line's version 2 keys,
    taken out while the rest is checked as version 1's, against theirs)."""
    if text is None:
        return None, [LineError(number, "", "is not UTF-8 text")]
    try:
        record = _parse(text)
    except ValueError as error:
        return None, [LineError(number, "", f"is not a JSON object: {error}")]
    if documents is not None and isinstance(record, dict) and record.get("type") == "document":
        problems = documents.problems(record)
    else:
        added = {}
        if child_rules is not None and isinstance(record, dict) and record.get("type") == "feedback":
            added = children.take_keys(record)
        problems = list(schema.problems(record))
        if not problems:
            problems = list(rules.problems(record, number, nul="\\u0000" in text))
        if not problems and added:
            problems = list(child_rules.problems(added, number))
            record.update(added)
        if not problems and documents is not None:
            problems = documents.saw_record(record)
    return record, [LineError(number, where, message) for where, message in problems]


def _lines(file: IO[bytes]) -> Iterator[tuple[int, str | None, int]]:
    """(line number, text or None if not UTF-8, bytes) for each line that is not blank."""
    skipped = 0  # bytes of blank lines, counted with the next line for the progress bar
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


# One decoder for every line: json.loads with an argument makes a decoder for each call.
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def _parse(text: str) -> object:
    if text.startswith("\ufeff"):  # as json.loads says it, for a line after the first
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    record = _DECODER.decode(text)
    # An ASCII line without an escape holds none (most lines: isascii costs next to nothing).
    if (not text.isascii() or "\\u" in text) and _MAYBE_BIDI.search(text):
        record = strip_bidi_controls_within(record)
    return record
