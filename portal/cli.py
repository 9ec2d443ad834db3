"""Flask CLI commands (``flask --app wsgi ...``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.services import outbox

outbox_cli = AppGroup("outbox", help="The outbox of mail waiting to be sent.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to try in one run.")
def outbox_send(limit: int) -> None:
    """Send the mail that is due; failures stay in the outbox and are retried later."""
    result = outbox.send_due(outbox.MailSettings.from_config(current_app.config), limit=limit)
    click.echo(f"sent {result.sent}, failed {result.failed}, waiting {outbox.pending_count()}")
    if result.failed:
        raise SystemExit(1)


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Only load when there is no feedback yet.")
def demo_data(if_empty: bool) -> None:
    """Load an invented, realistic data set for trying the portal."""
    from portal.services import demo

    loaded = demo.load(only_if_empty=if_empty)
    click.echo(f"demo data: {loaded} feedback records added" if loaded else "demo data: nothing to do")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(demo_data)
