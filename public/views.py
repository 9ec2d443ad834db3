"""Public pages. Views stay thin: form, validate, call a service, redirect."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for

from portal.errors import csrf_error_handlers
from portal.forms import read_id
from portal.uploads import accepts_files
from portal.extensions import db, limiter
from portal.services.procedures import public_status
from portal.services.intake import drafts, status_links, submissions, submitter, uploads
from portal.services.accounts import reference_data
from portal.services.procedures.calendars import current_calendar
from portal.services.common.dates import today
from portal.services.procedures import escalation
from portal.services.common.errors import Refused
from portal.services.files.documents import FileSettings
from portal.services.common.dates import spoken
from portal.services.procedures.rules import stage_name
from public import blank_pages, bp
from public.flows import FLOWS, Flow, summary_rows
from public.forms import AddInformationForm, NextStageForm, StatusLinkForm


def _public_rate_limit() -> str:
    return current_app.config["PUBLIC_FORM_RATE_LIMIT"]


def _exempt_from_limit() -> bool:
    return request.method == "GET"


@bp.context_processor
def public_context():
    # "Exit this page" goes through /leave, which forgets the answers before leaving.
    return {"exit_url": url_for("public.leave")}


@bp.get("/leave")
def leave():
    """"Exit this page": forget the answers being written and what was sent, so that
    Back shows an empty form, then go to the everyday page the button promises (pages
    are never cached: security.py sends Cache-Control: no-store)."""
    for key in (session.pop("drafts", None) or {}).values():
        drafts.discard(key)
    session.pop("sent", None)
    db.session.commit()
    return redirect(current_app.config["EXIT_PAGE_URL"], code=303)


# Pages that are their template and nothing else: endpoint, address (the template is
# public/<endpoint>.html).
PLAIN_PAGES = {
    "start": "/",
    "young_people": "/young-people",
    "accessibility": "/accessibility",
    "privacy": "/privacy",
    "contact": "/contact",
    "status_link_sent": "/your-feedback/link-sent",
}


def _plain_page(endpoint: str):
    def view():
        return render_template(f"public/{endpoint}.html")
    # Its own name, as a view written out has: Flask-Limiter tells views apart by name.
    view.__name__ = view.__qualname__ = endpoint
    return view


for _endpoint, _rule in PLAIN_PAGES.items():
    bp.add_url_rule(_rule, endpoint=_endpoint, view_func=_plain_page(_endpoint), methods=["GET"])


def _draft_keys() -> dict:
    return session.setdefault("drafts", {})


def _limits() -> uploads.Limits:
    return uploads.Limits.from_config(current_app.config)


def _files_shown(draft_key: str | None) -> list[dict]:
    return [{"id": u.id, "name": u.original_name, "size": uploads.in_words(u.size_bytes)}
            for u in uploads.attached(draft_key)]


def _take_files(form, flow: Flow) -> bool:
    """Check and keep the files chosen on this page with the draft (made now if the answers
    are not yet complete), committed at once so that they outlast a refused answer; put
    what was refused on the file field. Whether every file chosen was taken."""
    chosen = uploads.chosen_files(request.files.getlist(form.files.name))
    if not chosen:
        return True
    key = _draft_keys()[flow.name] = drafts.hold(_draft_keys().get(flow.name), flow.name)
    session.modified = True
    try:
        uploads.attach(key, chosen, FileSettings.from_app())
    except Refused as refused:
        db.session.rollback()  # nothing of this page's files is kept
        form.files.errors = [refused.message]
        return False
    db.session.commit()
    return True


def form_page(flow: Flow):
    teams = reference_data.public_team_choices()
    if request.method == "GET":
        return _show_form(flow, teams)
    form = flow.form_class(teams=teams)
    answered = form.validate_on_submit()
    if answered and form.looks_like_spam:
        session["sent"] = {}
        return redirect(url_for(".sent"))
    if not form.looks_like_spam:
        answered = _take_files(form, flow) and answered
    if answered:
        _draft_keys()[flow.name] = drafts.save(_draft_keys().get(flow.name), flow.name, form.answers())
        db.session.commit()
        session.modified = True
        return redirect(url_for(f".{flow.name}_check"))
    attached = _files_shown(_draft_keys().get(flow.name))
    return render_template(flow.template, form=form, spec=flow, upload_limits=_limits(), attached=attached)


def _show_form(flow: Flow, teams: list):
    """The form, with the answers and files of this browser's draft if it has one. An empty
    form is the kept blank page, and the form's fields are not even made for it (binding
    them was half of what was left of such a view's time, issue 23)."""
    key = _draft_keys().get(flow.name)
    answers = drafts.load(key, flow.name)
    attached = _files_shown(key)

    def draw():
        form = flow.form_class(data=answers, teams=teams)
        return render_template(flow.template, form=form, spec=flow, upload_limits=_limits(), attached=attached)

    if blank_pages.can_keep() and not answers and not attached:
        return blank_pages.render((flow.name, tuple(tuple(team) for team in teams)), draw)
    return draw()


def check_page(flow: Flow):
    key = _draft_keys().get(flow.name)
    answers = drafts.load(key, flow.name)
    if not answers:
        # Already sent (a second click), expired, or only files so far (answers refused).
        return redirect(url_for(".sent" if session.get("sent") and answers is None else f".{flow.name}"))
    if request.method == "POST":
        return _send(flow, key)
    return _render_check(flow, answers, key)


def _render_check(flow: Flow, answers: dict, key: str, notice: str | None = None):
    form = flow.form_class(data=answers, teams=reference_data.public_team_choices(), meta={"csrf": False})
    return render_template(
        "public/check_answers.html", rows=summary_rows(form, flow), spec=flow, notice=notice,
        attached=_files_shown(key), upload_limits=_limits(),
    )


def remove_file(flow: Flow):
    """"Remove" beside a file on the check-your-answers page (a form of its own: it works
    without JavaScript), then back to the page."""
    key = _draft_keys().get(flow.name)
    if drafts.load(key, flow.name) is None:
        return redirect(url_for(f".{flow.name}"))
    removed = uploads.remove(key, read_id(request.form.get("file")), FileSettings.from_app())
    if removed is not None:
        drafts.hold(key, flow.name)  # still being written: the draft's two days start again
        db.session.commit()
        flash(f"{removed.original_name} has been removed.", "success")
    return redirect(url_for(f".{flow.name}_check"), 303)


def _send(flow: Flow, key: str):
    answers = drafts.take(key, flow.name)
    if answers is None:  # another request sent these answers a moment ago
        return redirect(url_for(".sent"))
    submission = flow.to_submission(answers)
    record = submissions.receive(submission)
    uploads.hand_over(key, record, FileSettings.from_app())
    sent = {
        "young": flow.young,
        "contactable": bool(submission.email or submission.phone or submission.address),
        "reference": record.reference,
        "kind": record.kind,
        "noun": flow.noun_for(answers),
        "complaint": record.formal_complaint_requested,
        "safeguarding": record.safeguarding_concern,
        "advocate": record.advocate_requested,
        "emailed": bool(submission.email),
        "can_follow": True,
    }
    # The status page opens in this browser for a while: the session cookie, which
    # anyone at the computer can read, holds no link to it. Read from the record before
    # the commit, which expires it: after, each would be read back from the database.
    response = status_links.grant_access(redirect(url_for(".sent")), record)
    db.session.commit()  # the draft taken, the record, its files, its acknowledgement and any alert
    _draft_keys().pop(flow.name, None)
    session.modified = True
    session["sent"] = sent
    return response


@bp.get("/sent")
def sent():
    return render_template("public/sent.html", sent=session.get("sent") or {})


# Every public post shares one budget per address, so a flood on one form counts on all.
_limited = limiter.shared_limit(_public_rate_limit, scope="public-forms", exempt_when=_exempt_from_limit)


def _route(rule: str, endpoint: str, view):
    view.__name__ = endpoint
    view = accepts_files(view)  # every form page takes files (portal/uploads.py: the request's limit)
    bp.add_url_rule(rule, endpoint=endpoint, view_func=_limited(view), methods=["GET", "POST"])


for _flow in FLOWS:
    _route(f"/{_flow.slug}", _flow.name, lambda flow=_flow: form_page(flow))
    _route(f"/{_flow.slug}/check", f"{_flow.name}_check", lambda flow=_flow: check_page(flow))
    _remove = (lambda flow=_flow: remove_file(flow))
    _remove.__name__ = f"{_flow.name}_remove_file"
    bp.add_url_rule(f"/{_flow.slug}/check/remove-file", endpoint=_remove.__name__,
                    view_func=_limited(_remove), methods=["POST"])


# An expired form keeps the person's answers: their own words come straight back to
# them with a fresh token, and nothing is saved until they send again.
EXPIRED = "Your answers have not been sent yet. For your security the form had expired. Check your answers and continue."


def _expired_form(flow: Flow):
    def handler(error):
        form = flow.form_class(teams=reference_data.public_team_choices())
        return render_template(flow.template, form=form, spec=flow, notice=EXPIRED, upload_limits=_limits(),
                               attached=_files_shown(_draft_keys().get(flow.name))), 400

    return handler


def _expired_check(flow: Flow):
    def handler(error):
        answers = drafts.load(_draft_keys().get(flow.name), flow.name)
        if not answers:
            return redirect(url_for(f".{flow.name}"))
        return _render_check(flow, answers, _draft_keys().get(flow.name),
                             notice=EXPIRED.replace("continue", "select Send")), 400

    return handler


for _flow in FLOWS:
    csrf_error_handlers[f"public.{_flow.name}"] = _expired_form(_flow)
    csrf_error_handlers[f"public.{_flow.name}_check"] = _expired_check(_flow)


# The person's status page: reached only through a signed link, never by reference. The
# link's address sets a short-lived HttpOnly cookie and moves on to an address with no
# token in it (portal.services.intake.status_links; docs/security.md).


@bp.get("/your-feedback/<token>")
@_limited
def open_status_link(token: str):
    record = status_links.record_for(token)
    if record is None:
        abort(404)
    return status_links.grant_access(redirect(url_for(".status"), 303), record)


def _record_or_timed_out():
    return status_links.record_for_access(request.cookies.get(status_links.ACCESS_COOKIE))


def _timed_out():
    return render_template("public/status_timed_out.html"), 403


@bp.route("/your-feedback/case", methods=["GET", "POST"])
@_limited
@accepts_files
def status():
    record = _record_or_timed_out()
    if record is None:
        return _timed_out()
    form = AddInformationForm()
    if form.validate_on_submit():
        if form.looks_like_spam:
            return redirect(url_for(".status"))
        chosen = uploads.chosen_files(request.files.getlist(form.files.name))
        try:
            submitter.add_information(record, form.information.data, files=chosen)
        except Refused as refused:
            db.session.rollback()
            form.files.errors = [refused.message]
        else:
            db.session.commit()
            flash("Thank you. We have added this to your case and told the person dealing with it.", "success")
            return redirect(url_for(".status"))
    elif request.method == "POST" and uploads.chosen_files(request.files.getlist(form.files.name)):
        # A page cannot give back the files chosen on it: say so where they were chosen.
        form.files.errors = ["Choose your files again. Nothing was added, because of the problem above"]
    described = public_status.describe(record, today(), current_calendar())
    return render_template("public/status.html", record=record, status=described, form=form,
                           late_for_stage=_late_for_stage(record), upload_limits=_limits(), attached=[])


def _late_for_stage(record) -> int | None:
    """The next stage, when the time to ask for it online has passed."""
    window = escalation.escalation_window(record)
    return window.next_stage if window and today() > window.deadline else None


def _ask_page(record, window, form):
    return render_template("public/next_stage.html", record=record, window=window, form=form,
                           next_name=stage_name(record.procedure, window.next_stage),
                           reasons_optional=not escalation.reasons_needed(record, window.next_stage))


@bp.route("/your-feedback/case/next-stage", methods=["GET", "POST"])
@_limited
def ask_for_next_stage():
    """The person asks for the next stage of their complaint, dated today, on a page that
    asks what they are still unhappy about and says it cannot be taken back (issue 13:
    one press on the status page started it). Within the window it starts; after it,
    the request is noted for staff, who may accept it. Either way the officer is told."""
    record = _record_or_timed_out()
    if record is None:
        return _timed_out()
    window = escalation.escalation_window(record)
    if window is None:  # asked already, or nothing to ask for
        if request.method == "POST":
            flash("Your complaint has already moved on: this page shows where it is now.", "info")
        return redirect(url_for(".status"))
    if request.method == "GET" and today() > window.deadline:  # the status page says what to do
        return redirect(url_for(".status"))
    form = NextStageForm()
    if not escalation.reasons_needed(record, window.next_stage):
        form.reasons_optional()  # the Complaint Handling Code: never refused for lack of reasons
    if not form.validate_on_submit():
        return _ask_page(record, window, form)
    if form.looks_like_spam:
        return redirect(url_for(".status"))
    who = (record.person.name if record.person and record.person.name else None) or "The person who sent it"
    late = today() > window.deadline  # then noted for staff, who may accept it with a reason
    ask = escalation.note_late_request_from_status_page if late else escalation.request_from_status_page
    try:
        stage = ask(record, today(), who, form.unhappy_about.data)
    except Refused as refused:  # nothing but spaces, say
        db.session.rollback()
        form.unhappy_about.errors = [refused.message]
        return _ask_page(record, window, form)
    db.session.commit()
    if late:
        flash(f"The time to ask for Stage {window.next_stage} online ended on {spoken(window.deadline)}. "
              "We have passed on your request and what you told us. Contact the Customer Feedback "
              "Team: they can still consider your request.", "info")
        return redirect(url_for(".status"))
    flash(f"Thank you. We have your request for Stage {stage.number}. We will be in touch to "
          "tell you what happens next.", "success")
    return redirect(url_for(".status"))


@bp.route("/your-feedback", methods=["GET", "POST"])
@_limited
def status_link_request():
    form = StatusLinkForm()
    if form.validate_on_submit():
        if not form.looks_like_spam:
            submitter.send_status_link(form.reference.data, form.email.data)
            db.session.commit()  # found or not, the same work (the service says why)
        return redirect(url_for(".status_link_sent"))
    return render_template("public/status_link_request.html", form=form)
