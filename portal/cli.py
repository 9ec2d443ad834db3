"""Flask CLI commands (``flask --app wsgi ...``)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from sqlalchemy import select

from portal.models import Team
from portal.services.common.labels import StaffRole
from portal.services.common import outbox
from portal.services.common.errors import Refused

outbox_cli = AppGroup("outbox", help="The outbox of mail waiting to be sent.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to try in one run.")
def outbox_send(limit: int) -> None:
    """Send the mail that is due. A temporary failure stays in the outbox and is tried
    again later; mail that can never go is marked failed (staff see it) and the rest goes."""
    result = outbox.send_due(outbox.MailSettings.from_config(current_app.config), limit=limit)
    click.echo(f"sent {result.sent}, failed {result.failed}, waiting {outbox.pending_count()}, "
               f"cannot be sent {result.undeliverable}")
    if result.failed or result.undeliverable:
        raise SystemExit(1)


@click.command("worker")
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help="How many messages or jobs at once (default: WORKER_THREADS, 2).")
def worker(threads: int | None) -> None:
    """Run the background worker: it sends the outbox's mail as it is committed, sweeps for
    anything missed every minute, and runs the scheduled jobs (reminders, retention purge,
    pruning sign-in records). Stop it with Ctrl+C or SIGTERM; run as many as you like."""
    from portal import tasks

    app = current_app._get_current_object()
    consumer = tasks.consumer(app, workers=threads)
    click.echo(f"worker: {consumer.workers} threads, sweeping every "
               f"{app.config['WORKER_TICK_SECONDS']} s, queue {type(tasks.queue_of(app)).__name__}")
    consumer.run()


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Only load when there is no feedback yet.")
@click.option("--check", "check_only", is_flag=True,
              help="Load nothing: check that the demo data holds every part of the work.")
@click.option("--count", default=60, show_default=True, type=click.IntRange(0, 10_000),
              help="How many random submissions to add beside the scripted cases.")
def demo_data(if_empty: bool, check_only: bool, count: int) -> None:
    """Load an invented, realistic data set for trying the portal, then check that it
    holds every part of the work (exits with 1, naming what is missing, if not)."""
    from portal.demo import records

    if not check_only:
        loaded = records.load(only_if_empty=if_empty, count=count)
        click.echo(f"demo data: {loaded} feedback records added" if loaded else "demo data: nothing to do")
        if loaded:
            last_mail = records.last_mail_id()
            _offer_demo_sign_in()
            records.mark_mail_sent(after_id=last_mail)  # the links are printed here
        else:
            return  # a database in use: what was done since loading is nobody's mistake
    missing = records.missing_parts()
    if missing:
        click.echo("demo data is missing: " + "; ".join(missing), err=True)
        raise SystemExit(1)
    click.echo("demo data: every part of the work is there")


def _offer_demo_sign_in() -> None:
    """Print a set-up link for the demo feedback manager and the demo administrator
    while nobody has used them yet."""
    from portal.extensions import db
    from portal.models import StaffUser
    from portal.services.common import audit
    from portal.services.accounts import staff_accounts
    from portal.demo.casework import DEMO_STAFF

    printed = False
    for email, _, role in DEMO_STAFF:
        if role not in ("feedback_manager", "administrator"):
            continue
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is None or user.password_hash:
            continue
        with audit.acting_as(COMMAND_LINE):
            invitation = staff_accounts.set_up_link_now(user)
            db.session.commit()
        who = "demo feedback manager" if role == "feedback_manager" else "demo administrator"
        click.echo(f"To sign in as the {who} ({email}), open this one-time link, choose a "
                   f"password and set up two-step sign-in with an authenticator app:")
        click.echo(invitation.link)
        printed = True
    if printed:
        _say_address(DEMO_STAFF[0][0])


def _say_address(email: str) -> None:
    """Say which address a printed link was made with, and how to make one for another
    (issue 13: a set-up link said port 5000 while the portal ran on another port). Every
    link the portal makes starts with BASE_URL, and nothing else."""
    click.echo(f"The link starts with the portal's address from BASE_URL: {current_app.config['BASE_URL']}")
    click.echo("If the portal is not at that address (for example, it runs on another port), set "
               "BASE_URL to the portal's address, like http://127.0.0.1:5055, and make a fresh link with: "
               f"flask --app wsgi staff set-up-link {email}")


staff_cli = AppGroup("staff", help="Staff accounts.")
COMMAND_LINE = "command line"


@staff_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Their full name.")
@click.option("--role", required=True, type=click.Choice(StaffRole.codes()), help="What they may do.")
@click.option("--team", "team_name", default=None, help="Their team, by name (team managers need one).")
def staff_create(email: str, name: str, role: str, team_name: str | None) -> None:
    """Create an account and print a one-time link to set a password and two-step sign-in."""
    from portal.extensions import db
    from portal.services.common import audit
    from portal.services.accounts import staff_accounts

    team_id = None
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            raise click.UsageError(f"no team is called {team_name!r}")
        team_id = team.id
    with audit.acting_as(COMMAND_LINE):
        try:
            invitation = staff_accounts.create(email, name, role, team_id)
        except Refused as refusal:
            db.session.rollback()
            raise click.UsageError(str(refusal)) from refusal
        db.session.commit()
    days = current_app.config["INVITE_VALID_DAYS"]
    click.echo(f"Account created for {invitation.user.email} ({role}).")
    click.echo(f"Give them this link (it works once, for {days} days):")
    click.echo(invitation.link)
    _say_address(invitation.user.email)


@staff_cli.command("set-up-link")
@click.argument("email")
def staff_set_up_link(email: str) -> None:
    """Print a fresh one-time set-up link for an account not yet set up; links made
    before stop working."""
    from portal.extensions import db
    from portal.services.common import audit
    from portal.services.accounts import auth, staff_accounts

    user = auth.find_user(email)
    if user is None:
        raise click.UsageError(f"no account has the email address {email!r}")
    if user.password_hash is not None:
        raise click.UsageError(f"{user.email} has already set up their account: if they forgot their "
                               "password, they can reset it from the sign-in page")
    if not user.active:
        raise click.UsageError(f"the account for {user.email} is deactivated")
    with audit.acting_as(COMMAND_LINE):
        invitation = staff_accounts.set_up_link_now(user)
        db.session.commit()
    days = current_app.config["INVITE_VALID_DAYS"]
    click.echo(f"A fresh set-up link for {user.email} (it works once, for {days} days; older links no "
               "longer work):")
    click.echo(invitation.link)
    _say_address(user.email)


@staff_cli.command("reset-2fa")
@click.argument("email")
def staff_reset_two_step(email: str) -> None:
    """Make someone set up two-step sign-in again at their next sign-in."""
    from portal.extensions import db
    from portal.services.common import audit
    from portal.services.accounts import auth, staff_accounts

    user = auth.find_user(email)
    if user is None:
        raise click.UsageError(f"no account has the email address {email!r}")
    with audit.acting_as(COMMAND_LINE):
        staff_accounts.reset_two_step(user)
        db.session.commit()
    click.echo(f"Two-step sign-in reset for {user.email}: they will set it up again when they next sign in.")


@staff_cli.command("unlock")
@click.argument("email")
def staff_unlock(email: str) -> None:
    """Forget failed sign-ins for an email address, ending a lock before it runs out."""
    from portal.extensions import db
    from portal.services.common import audit
    from portal.services.accounts import auth

    with audit.acting_as(COMMAND_LINE):
        auth.clear_failures(email)
        audit.record(COMMAND_LINE, "sign_in_unlocked", None, None, new={"email": auth.normalise_email(email)})
        db.session.commit()
    click.echo(f"Failed sign-ins forgotten for {auth.normalise_email(email)}.")


def init_app(app: Flask) -> None:
    from portal.cli_data import data_cli
    from portal.cli_insight import insight_cli
    from portal.cli_mail_in import mail_in_cli
    from portal.cli_report import report
    from portal.cli_retention import retention_cli

    app.cli.add_command(retention_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(insight_cli)
    app.cli.add_command(mail_in_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(demo_data)
    app.cli.add_command(report)
    from portal.cli_reminders import send_reminders

    app.cli.add_command(send_reminders)
    app.cli.add_command(worker)
