"""The case page's Correspondence panel: one thread of what we sent and what came in."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user

from portal.services.mail_in import thread
from staff.case.panel import CaseView, Panel
from staff.mail_in.forms import ReplyForm


def correspondence(view: CaseView) -> dict:
    record = view.record
    last = thread.last_received(record)
    return {
        "entries": thread.thread(record, current_user),
        "reply_form": view.form("reply", lambda: ReplyForm(formdata=None)),
        "reply_to": thread.reply_to_address(record, last),
        "reply_subject": thread.reply_subject(record, last),
        "team_address": team_address(),
    }


def team_address() -> str:
    return current_app.config.get("MAIL_IN_ADDRESS") or current_app.config["ORG_EMAIL"]


CORRESPONDENCE = Panel("correspondence", "staff/case/_correspondence.html", correspondence)
