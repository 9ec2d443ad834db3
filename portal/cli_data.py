"""``flask --app wsgi data import PATH`` and ``flask --app wsgi data export PATH``.

The interchange format of ``../shared/interchange/FORMAT.md``; the work is done in
``portal/services/interchange``. Problems go to stderr and make the exit code 1.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.common import audit
from portal.services import interchange
from portal.services.interchange import export as exporting

COMMAND_LINE = "command line"  # who the audit trail says acted
data_cli = AppGroup("data", help="Import and export feedback records in the interchange format.")


@data_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and go through the import, then keep nothing.")
@click.option("--update", is_flag=True, help="Replace records and restrictions that are already held.")
def import_command(path: str, dry_run: bool, update: bool) -> None:
    """Import a file: check all of it, and import nothing if anything is wrong."""
    size = os.path.getsize(path)
    # Every problem is reported, however many: kept on disk beyond 1 MB, not in memory.
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8") as problems:
        with click.progressbar(length=size, label="Importing", file=sys.stderr) as bar, \
                audit.acting_as(COMMAND_LINE):
            summary = interchange.import_file(path, update=update, dry_run=dry_run, progress=bar.update,
                                              on_error=lambda error: problems.write(f"{error}\n"))
        if not summary.ok:
            problems.seek(0)
            for line in problems:
                click.echo(line, nl=False, err=True)
            click.echo(f"{path}: {summary.report()[0]}", err=True)
            raise SystemExit(1)
    for line in summary.report():
        click.echo(line)


def _private_file(path: str, binary: bool = False):
    """A new file only its owner can read or write (0600): the export holds personal
    data. Made so from the start (no moment when others could open it), and tightened if
    a stale one was already there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    if binary:
        return open(fd, "wb")
    return open(fd, "w", encoding="utf-8", newline="\n")


@data_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--with-documents", is_flag=True,
              help="Write version 2: a zip with the records and every document's file (docs/interchange.md).")
def export_command(path: str, with_documents: bool) -> None:
    """Write every feedback record and contact restriction to PATH ("-" for standard output)."""
    if with_documents:
        return _export_archive(path)
    if path == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        counts = exporting.export(out)
        out.flush()
        out.detach()
    else:
        # Written beside the target and moved into place, so a failed export leaves no half file.
        partial = f"{path}.part"
        try:
            with _private_file(partial) as out:
                with click.progressbar(length=exporting.total(), label="Exporting", file=sys.stderr) as bar:
                    counts = exporting.export(out, progress=bar.update)
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):
                os.remove(partial)
    with audit.acting_as(COMMAND_LINE):
        audit.record(None, "data_exported", new={"file": "-" if path == "-" else os.path.basename(path),
                                                  "feedback": counts.feedback, "restrictions": counts.restrictions})
        db.session.commit()
    click.echo(f"Exported {counts.feedback} feedback records and {counts.restrictions} contact restrictions",
               err=True)


def _export_archive(path: str) -> None:
    """Version 2: the zip, written beside the target and moved into place."""
    from portal.services.interchange.documents import write_archive

    if path == "-":
        raise click.UsageError("a version 2 export (--with-documents) is a zip: give a file, not -")
    partial = f"{path}.part"
    try:
        with _private_file(partial, binary=True) as out:
            with click.progressbar(length=exporting.total(), label="Exporting", file=sys.stderr) as bar:
                counts = write_archive(out, progress=bar.update)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    with audit.acting_as(COMMAND_LINE):
        audit.record(None, "data_exported", new={"file": os.path.basename(path), "version": 2,
                                                  "feedback": counts.feedback, "restrictions": counts.restrictions,
                                                  "documents": counts.documents})
        db.session.commit()
    click.echo(f"Exported {counts.feedback} feedback records, {counts.restrictions} contact restrictions "
               f"and {counts.documents} documents", err=True)
