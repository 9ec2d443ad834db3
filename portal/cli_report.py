"""``flask --app wsgi report``: the feedback report for a period, as JSON, CSV, XLSX or PDF."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

FORMATS = ("json", "csv", "xlsx", "pdf")


@click.command("report")
@click.option("--from", "start", required=True, metavar="DATE",
              help="First day of the period, YYYY-MM-DD.")
@click.option("--to", "end", required=True, metavar="DATE",
              help="Last day of the period (inclusive), YYYY-MM-DD; at most 12 months on.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json", show_default=True,
              help="json (REPORT.md), csv (a zip of one CSV a table), xlsx (one sheet a table) or "
                   "pdf (the report as a document, with charts).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write. JSON goes to standard output without it; CSV, XLSX and PDF "
                   "go to feedback-report_FROM_TO.zip, .xlsx or .pdf in the current folder.")
def report(start: str, end: str, fmt: str, output: Path | None) -> None:
    """Every figure of the feedback report for a period, compared with a year earlier."""
    from portal.services.procedures.calendars import current_calendar
    from portal.services.procedures.timescales import current_timescales
    from portal.services.reports import Period, build_report
    from portal.services.common.errors import Refused
    from portal.services.reports.export import to_csv_zip, to_xlsx

    try:
        period = Period.parse(start, end)
    except Refused as error:
        raise click.ClickException(str(error)) from None
    try:
        figures = build_report(period, current_calendar(), current_timescales())
    except (OperationalError, ProgrammingError) as error:
        raise click.ClickException(
            f"Could not read the database ({error.orig}); is it upgraded (flask db upgrade)?"
        ) from None
    if fmt == "json":
        text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            click.echo(text, nl=False)
        else:
            _write(output, text.encode("utf-8"))
        return
    from portal.services.reports.children import children_complaints

    # The children's section is not in feedback-report/1 (the JSON above): every other
    # format has it (docs/reports.md).
    children = children_complaints(period)
    if fmt == "pdf":
        content = _pdf(period, figures, children)
    else:
        content = to_csv_zip(figures, children) if fmt == "csv" else to_xlsx(figures, children)
    if output is None:
        suffix = {"csv": "zip", "xlsx": "xlsx", "pdf": "pdf"}[fmt]
        output = Path(f"feedback-report_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}.{suffix}")
    _write(output, content)
    click.echo(f"Report written to {output}", err=True)


def _pdf(period, figures: dict, children: dict | None = None) -> bytes:
    from portal.services.reports.document import build_document, compliment_examples

    try:
        from portal.services.reports.pdf import to_pdf

        return to_pdf(build_document(figures, compliment_examples(period), children))
    except OSError as error:  # WeasyPrint could not load Pango
        raise click.ClickException(
            f"Could not make the PDF: {error}. WeasyPrint needs Pango "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
        ) from None


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise click.ClickException(f"Could not write {path}: {error.strerror}") from None
