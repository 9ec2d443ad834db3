"""``flask --app wsgi send-reminders``: the daily reminder emails, meant for cron.

Every reminder source runs in turn. A source is a function ``(today: date) ->
list[Reminder]`` (``portal.services.procedures.reminders.Reminder``) that works out who
should be reminded of what and renders the emails; it queues nothing itself. The runner
queues each reminder in the outbox unless the same purpose, period and address is
already there, so running the command twice on a day sends nothing twice.

To add a source (Ombudsman recommendations, learning actions...): write the function in
its service module, returning Reminders with a ``purpose`` of its own and a ``period``
(``today.isoformat()`` for a daily reminder, ``f"{today:%Y-%m}"`` for a monthly one),
then append it to ``REMINDER_SOURCES`` below. Test it by calling the function, and the
command with ``--today``.

The outbox sends the mail (``flask outbox send``, or straight after when MAIL_SERVER is
set and the cron line runs both).
"""

from __future__ import annotations

from datetime import date

import click

from portal.services.casework import learning_actions, ombudsman, restrictions
from portal.services.procedures.reminders import queue_reminders, stage_reminders

REMINDER_SOURCES = [
    stage_reminders,  # complaint stages due within 3 working days or overdue
    ombudsman.recommendation_reminders,  # Ombudsman recommendations due within 5 working days or overdue
    learning_actions.monthly_reminders,  # first working day: each owner's open actions; overdue ones to managers
    learning_actions.overdue_reminders,  # actions that became overdue since the last working day, to managers
    restrictions.review_reminders,  # contact restrictions whose review date has come
]


@click.command("send-reminders")
@click.option("--today", "today_text", metavar="YYYY-MM-DD", default=None,
              help="Act as if it were this day (default: today in London).")
def send_reminders(today_text: str | None) -> None:
    """Queue today's reminder emails (stages due soon or overdue, and the rest)."""
    from portal.extensions import db
    from portal.services.common import audit, dates

    try:
        today = date.fromisoformat(today_text) if today_text else dates.today()
    except ValueError as exc:
        raise click.BadParameter("give the day as YYYY-MM-DD", param_hint="--today") from exc
    with audit.acting_as("send-reminders"):
        run = queue_reminders(today, REMINDER_SOURCES)
        db.session.commit()
    click.echo(f"reminders for {today.isoformat()}: {run.queued} queued, "
               f"{run.already_sent} already sent today")
