"""The triage inbox and logging feedback that came another way."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import Response, current_app, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.routing.converters import UnicodeConverter

from portal import auth
from portal.extensions import db
from portal.forms import BaseForm, hidden_characters, hidden_characters_message, read_id
from portal.models import StaffUser
from portal.services.triage import bulk, decisions, inbox, saved_filters
from portal.services.triage import inbox_csv as inbox_csv_service
from portal.services.accounts import reference_data
from portal.services.accounts.permissions import has_permission
from portal.services.insight import suggestions
from portal.services.common.dates import read_date, today
from portal.services.triage.inbox import InboxFilters
from portal.services.common.labels import Channel, FeedbackKind, RecordStatus, label
from staff import bp
from staff.case.forms import LogContactForm
from staff.changes import carry_out, carry_out_and_flash
from staff.fields import assignable_staff, themes
from staff.triage.forms import BulkForm, SaveFilterForm
from staff.triage.rows import inbox_rows
from staff.views import page_or_fragment


DATES_HINT = "For example, 1 November 2026 or 01/11/2026"
DATE_MESSAGES = {
    "from": "The \u2018from\u2019 date must be a real date, like 1 November 2026 or 01/11/2026",
    "to": "The \u2018to\u2019 date must be a real date, like 30 November 2026 or 30/11/2026",
}


def filters_from(args, user=None) -> tuple[InboxFilters, dict[str, str]]:
    """Filters from the query string, and what to tell the person about the dates: a date
    typed as people type them is read (dates.read_date), one that cannot be read is
    named in the error summary, as is a search with hidden characters (portal.forms). Other
    malformed values are ignored, never an error. ``assigned=me`` is ``user`` (a saved
    filter's "My open Stage 1s" is whoever opens it)."""
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
        assigned_to_id=user.id if args.get("assigned") == "me" and user is not None else read_id(args.get("assigned")),
        channel=args.get("channel") or None,
        received_from=received["from"],
        received_to=received["to"],
        formal_requested=args.get("formal") == "1",
        overdue=args.get("overdue") == "1",
        safeguarding=args.get("safeguarding") == "1",
        stage=int(args["stage"]) if args.get("stage") in ("1", "2", "3") else None,
        due_this_week=args.get("due_week") == "1",
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
    return _inbox(request.args)


def _inbox(args, bulk: BulkForm | None = None, saving: SaveFilterForm | None = None, status: int = 200):
    """The inbox for these filters; with ``bulk`` or ``saving``, a form sent back with its
    errors (what was ticked and typed kept)."""
    filters, errors = filters_from(args, current_user)
    page = inbox.search(current_user, filters, today(), cursor=args.get("after"))
    can_edit = has_permission(current_user, "edit_cases")
    staff = assignable_staff()
    teams = reference_data.active_teams()
    bulk = bulk or BulkForm(formdata=None, staff=staff, teams=teams, back=query_string(args))
    saving = saving or SaveFilterForm(formdata=None, query=saved_filters.kept_query(args.items(multi=True)))
    form_errors = [{"text": e, "href": f"#{field.id}"} for form in (bulk, saving) for field in form
                   for e in field.errors]
    response = page_or_fragment(
        "staff/inbox.html", "results",
        page=page, args=args, filter_errors=errors, dates_hint=DATES_HINT, form_errors=form_errors,
        error_list=[{"text": errors[name], "href": f"#{name}"} for name in ("q", "from", "to") if name in errors]
        + form_errors,
        today=today(), label=label, case_url=case_urls(), inbox_rows=inbox_rows, bulk=bulk, saving=saving,
        sort_query=lambda sort: query_string(args, sort=sort),
        ticked=set(bulk.selected.data or ()),
        team_options=[(t.id, t.name) for t in teams],
        suggested=suggestions.for_rows([r.id for r in (*page.urgent, *page.rows)], current_app.config["INSIGHT_PATH"])
        if can_edit else {},
        theme_options=[(t.id, t.name) for t in themes()],
        staff_options=[(u.id, u.name) for u in staff],
        status_options=RecordStatus.choices(), channel_options=Channel.choices(),
        saved=saved_filters.filters_of(current_user), ready_made=saved_filters.READY_MADE,
        csv_url=url_for(".inbox_csv") + ("?" + query_string(args) if query_string(args) else ""),
        next_url=url_for(".inbox_page") + "?" + query_string(args, after=page.next_cursor)
        if page.next_cursor else None,
        first_url=url_for(".inbox_page") + "?" + query_string(args) if args.get("after") else None,
    )
    response.status_code = status
    return response


def _back_args(form) -> MultiDict:
    """The filters the list was shown with, from the form's ``back`` (a query string)."""
    return MultiDict(parse_qsl((form.back.data or "")[:2000]))


@bp.post("/inbox/assign")
@auth.permission_required("assign_cases")
def inbox_assign():
    return _bulk("assign", lambda f, chosen: bulk.assign_all(
        current_user, chosen, db.session.get(StaffUser, f.assignee.data)),
        lambda f: f"assigned to {db.session.get(StaffUser, f.assignee.data).name}")


@bp.post("/inbox/classify")
@auth.permission_required("edit_cases")
def inbox_classify():
    return _bulk("classify", lambda f, chosen: bulk.classify_all(
        current_user, chosen, category=f.category.data or None, team_id=f.team_id.data), "classified")


@bp.post("/inbox/close")
@auth.permission_required("edit_cases")
def inbox_close():
    return _bulk("close", lambda f, chosen: bulk.close_all(
        current_user, chosen, outcome=f.close_as.data, what_was_done=f.resolution.data, today=today()), "closed")


def _bulk(action: str, perform, done_words):
    """One action on every ticked row (portal/services/triage/bulk.py), committed once;
    then back to the same list, saying what was done and each record refused and why.
    A form that cannot be acted on comes back on the list with its errors."""
    form = BulkForm(staff=assignable_staff(), teams=reference_data.active_teams())
    form.action.data = action  # the button pressed names the route; the field says it for validation
    chosen = bulk.read_chosen(form.selected.data or ())
    outcome = carry_out(form, lambda f: perform(f, chosen), fields={"selected": "selected"})
    if not outcome.done:
        return _inbox(_back_args(form), bulk=form, status=422)
    result = outcome.result
    if callable(done_words):  # words that name what was chosen ("assigned to Olu Adeyemi")
        done_words = done_words(form)
    if result.done:
        count = len(result.done)
        flash(f"{count} record{'s' if count != 1 else ''} {done_words}: {', '.join(result.done)}", "success")
    for reference, why in result.refused:
        flash(f"{reference} was not {done_words}: {why}", "info")
    back = query_string(_back_args(form))  # only ever the inbox's own filters
    return redirect(url_for(".inbox_page") + ("?" + back if back else ""), 303)


@bp.get("/inbox.csv")
@auth.permission_required("view_cases")
def inbox_csv():
    """The filtered list as CSV, streamed a line at a time; the download is audited
    (committed before the first line goes)."""
    filters, errors = filters_from(request.args, current_user)
    if errors:
        return _inbox(request.args, status=422)
    inbox_csv_service.record_download(current_user, filters, query_string(request.args))
    # Taken before the commit, which expires the signed-in account: reading its id after
    # would read the account again, and the lines read it once more in their own session.
    user_id, day = current_user.id, today()
    db.session.commit()

    def stream():
        # Read again as the lines go: the commit above let go of the signed-in account.
        yield from inbox_csv_service.lines(db.session.get(StaffUser, user_id), filters, day)

    response = Response(stream_with_context(stream()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="inbox-{day.isoformat()}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/inbox/saved")
@auth.permission_required("view_cases")
def inbox_save_filter():
    form = SaveFilterForm()
    saved = carry_out(form, lambda f: saved_filters.save(current_user, f.name.data, f.query.data))
    args = MultiDict(parse_qsl((form.query.data or "")[:2000]))
    if not saved.done:
        return _inbox(args, saving=form, status=422)
    flash(f"List saved as \u2018{saved.result.name}\u2019", "success")
    return redirect(url_for(".inbox_page") + "?" + saved.result.query, 303)


@bp.post("/inbox/saved/<int:filter_id>/delete")
@auth.permission_required("view_cases")
def inbox_delete_filter(filter_id: int):
    form = BaseForm()
    if form.validate_on_submit():
        carry_out_and_flash(lambda: saved_filters.delete(current_user, filter_id),
                            lambda name: f"List \u2018{name}\u2019 deleted")
    return redirect(url_for(".inbox_page"), 303)


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
