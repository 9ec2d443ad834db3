"""``flask --app wsgi mail-in ...``: email in (issue 19, docs/mail-in.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

mail_in_cli = AppGroup("mail-in", help="Email in: the team's mailbox becomes cases.")


@mail_in_cli.command("read")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def read(path: Path) -> None:
    """Read the messages of PATH as the worker reads the mailbox: a .eml file, a folder of
    .eml files, or an mbox (migrating an old mailbox, or trying it out). A message already
    read is recognised and left alone, so running it twice is safe."""
    from portal.services.mail_in import reader
    from portal.services.mail_in.receive import InSettings

    summary = reader.read_path(path, InSettings.from_app())
    click.echo(f"mail in from {path.name}: {summary.words()}")
    if summary.failed or summary.left:
        raise SystemExit(1)


@mail_in_cli.command("fetch")
def fetch() -> None:
    """Read the team's mailbox once now (MAIL_IN_HOST), as the worker does every minute."""
    from portal.services.mail_in import reader
    from portal.services.mail_in.receive import InSettings

    settings = reader.MailboxSettings.from_config(current_app.config)
    if not settings.configured:
        raise click.ClickException("MAIL_IN_HOST is not set: there is no mailbox to read")
    try:
        summary = reader.read_mailbox(settings, InSettings.from_app())
    except reader.MailboxUnreachable as exc:
        raise click.ClickException(f"the mailbox could not be read: {exc}") from exc
    click.echo(f"mail in from {settings.host} {settings.folder}: {summary.words()}")
