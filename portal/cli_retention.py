"""``flask --app wsgi retention purge``: remove the personal data of every record past its
retention date (docs/data-protection.md). Safe to run daily from cron: a purged record is
never purged again, and a record on legal hold is listed but kept."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

from portal.extensions import db
from portal.services.common import audit
from portal.services.common.dates import today
from portal.services.data_protection import purge
from portal.services.data_protection.retention_rules import KIND_LABELS

retention_cli = AppGroup("retention", help="Retention of personal data.")
COMMAND_LINE = "command line"


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
@click.option("--as-of", "as_of", default=None, metavar="DATE",
              help="Remove what is due on this date, YYYY-MM-DD (default: today in London).")
def purge_command(dry_run: bool, as_of: str | None) -> None:
    """Remove names, contact details and free text from records past their retention date,
    keeping what the reports count."""
    day = _parse_date(as_of) if as_of else today()
    if dry_run:
        due = purge.due_for_removal(day)
        for item in due.removable:
            click.echo(f"would remove  {item.label}  ({KIND_LABELS[item.kind].lower()}, "
                       f"closed {item.closed_on}, due {item.remove_on})")
        for item in due.held:
            click.echo(f"legal hold    {item.label}  (kept)")
        click.echo(f"dry run as of {day}: {_counts(due.counts())}; {len(due.held)} on legal hold; "
                   "nothing was changed")
        return
    with audit.acting_as(COMMAND_LINE):
        result = purge.run(day, actor=COMMAND_LINE)
        db.session.commit()
    for label in result.references:
        click.echo(f"removed  {label}")
    click.echo(f"purged as of {day}: {_counts(result.counts)}; {result.people_removed} people removed; "
               f"{result.drafts_removed} unfinished forms removed; "
               f"{result.sign_in_rows_removed} old sign-in records removed; "
               f"{result.audit_entries_redacted} audit entries redacted")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date: write it as YYYY-MM-DD, for example 2031-01-01",
                                 param_hint="--as-of") from None


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {KIND_LABELS[kind].lower()}" for kind, n in counts.items())
