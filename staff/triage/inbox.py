"""The triage inbox and logging feedback that came another way."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing.converters import UnicodeConverter

from portal import auth
from portal.forms import hidden_characters, hidden_characters_message, read_id
from portal.services.triage import inbox, decisions
from portal.services.accounts import reference_data
from portal.services.accounts.permissions import has_permission
from portal.services.insight import suggestions
from portal.services.common.dates import read_date, today
from portal.services.triage.inbox import InboxFilters
from portal.services.common.labels import Channel, FeedbackKind, RecordStatus, label
from staff import bp
from staff.case.forms import LogContactForm
from staff.changes import carry_out
from staff.fields import assignable_staff, themes
from staff.views import page_or_fragment


DATES_HINT = "For example, 1 November 2026 or 01/11/2026"
DATE_MESSAGES = {
    "from": "The \u2018from\u2019 date must be a real date, like 1 November 2026 or 01/11/2026",
    "to": "The \u2018to\u2019 date must be a real date, like 30 November 2026 or 30/11/2026",
}


def filters_from(args) -> tuple[InboxFilters, dict[str, str]]:
    """Filters from the query string, and what to tell the person about the dates: a date
    typed as people type them is read (dates.read_date), one that cannot be read is
    named in the error summary, as is a search with hidden characters (portal.forms). Other
    malformed values are ignored, never an error."""
    errors: dict[str, str] = {}
    # Nothing typed with hidden characters reaches the search: said, never sent to the database.
    hidden = {name for name, value in args.items(multi=True) if hidden_characters(name) or hidden_characters(value)}
    if hidden:
        args = {name: value for name, value in args.items() if name not in hidden}
        errors["q"] = hidden_characters_message("Your search" if hidden == {"q"} else "What you filter by")
    received = {}
    for name in ("from", "to"):
        text = (args.get(name) or "").strip()
        received[name] = read_date(text) if text else None
        if text and received[name] is None:
            errors[name] = DATE_MESSAGES[name]
    if received["from"] and received["to"] and received["to"] < received["from"]:
        errors["to"] = "The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date"
    filters = InboxFilters(
        kind=args.get("kind") if args.get("kind") in FeedbackKind else None,
        status=args.get("status") if args.get("status") in RecordStatus else None,
        team_id=read_id(args.get("team")),
        theme_id=read_id(args.get("theme")),
        assigned_to_id=read_id(args.get("assigned")),
        channel=args.get("channel") or None,
        received_from=received["from"],
        received_to=received["to"],
        formal_requested=args.get("formal") == "1",
        overdue=args.get("overdue") == "1",
        safeguarding=args.get("safeguarding") == "1",
        q=(args.get("q") or "")[:200],
        sort=args.get("sort") if args.get("sort") in inbox.SORTS else "newest",
    )
    return filters, errors


def query_string(args, **changes) -> str:
    values = {k: v for k, v in args.items() if v and k != "after"}
    values.update({k: v for k, v in changes.items() if v})
    return urlencode(values)


def case_urls():
    """``url_for(".case", reference=r)`` for a page of rows: the address built once, each
    reference quoted as the route's converter quotes it (url_for on every row was a fifth
    of the time of rendering the inbox)."""
    prefix = url_for(".case", reference="x")[:-1]
    converter = UnicodeConverter(current_app.url_map)
    return lambda reference: prefix + converter.to_url(reference)


@bp.get("/inbox")
@auth.permission_required("view_cases")
def inbox_page():
    filters, errors = filters_from(request.args)
    can_edit = has_permission(current_user, "edit_cases")
    page = inbox.search(current_user, filters, today(), cursor=request.args.get("after"))
    staff = assignable_staff()
    return page_or_fragment(
        "staff/inbox.html", "results",
        page=page, args=request.args, filter_errors=errors, dates_hint=DATES_HINT,
        error_list=[{"text": errors[name], "href": f"#{name}"} for name in ("q", "from", "to") if name in errors],
        today=today(), label=label, staff=staff, case_url=case_urls(),
        suggested=suggestions.for_rows([r.id for r in (*page.urgent, *page.rows)], current_app.config["INSIGHT_PATH"])
        if can_edit else {},
        team_options=[(t.id, t.name) for t in reference_data.active_teams()],
        theme_options=[(t.id, t.name) for t in themes()],
        staff_options=[(u.id, u.name) for u in staff],
        status_options=RecordStatus.choices(), channel_options=Channel.choices(),
        next_url=url_for(".inbox_page") + "?" + query_string(request.args, after=page.next_cursor)
        if page.next_cursor else None,
        first_url=url_for(".inbox_page") + "?" + query_string(request.args) if request.args.get("after") else None,
    )


@bp.route("/log", methods=["GET", "POST"])
@auth.permission_required("edit_cases")
def log_contact():
    form = LogContactForm(teams=reference_data.active_teams())
    logged = carry_out(form, lambda f: decisions.log_contact(_logged_contact(f), current_user, today()))
    if logged.done:
        flash(f"{logged.result.reference} logged", "success")
        return redirect(url_for(".case", reference=logged.result.reference))
    return render_template("staff/log_contact.html", form=form)


def _logged_contact(form: LogContactForm) -> decisions.LoggedContact:
    return decisions.LoggedContact(
        kind=form.kind.data, channel=form.channel.data, received_on=form.received_on.data,
        submitter_role=form.submitter_role.data, summary=form.summary.data,
        category=form.category.data or None, team_id=form.team_id.data,
        name=form.name.data, email=form.email.data, phone=form.phone.data, address=form.address.data,
        formal_complaint_requested=form.formal_complaint_requested.data,
        safeguarding_concern=form.safeguarding_concern.data,
        advocate_requested=form.advocate_requested.data,
    )
