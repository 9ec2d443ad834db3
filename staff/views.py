"""Staff pages. Deny by default: nothing here is reachable without signing in, except
the few views listed in ``OPEN_VIEWS``, and a signed-in person reaches only the views
whose declared permission (``portal.auth.permission_required``) their role has. A view
that declares nothing is refused to everyone."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from jinja2_fragments.flask import render_block

from portal import auth
from portal.extensions import htmx
from portal.services.accounts.permissions import RECORDS_HIDDEN
from portal.services.common import audit
from portal.services.common.dates import LONDON
from portal.services.common.labels import StaffRole, label
from staff import bp

# Endpoints a signed-out person may reach: signing in (both steps and enrolment, which
# check their own half-finished sign-in) and the one-time links.
OPEN_VIEWS: set[str] = {
    "staff.sign_in",
    "staff.two_step",
    "staff.enrol",
    "staff.set_up",
    "staff.password_reset",
    "staff.reset_password",
}

ENDED_MESSAGES = {
    "idle": "You were signed out because you had not used the service for {idle} minutes. Sign in again to continue.",
    "absolute": "You were signed out because you had been signed in for {absolute} hours. Sign in again to continue.",
    "deactivated": "You were signed out. Ask an administrator if you need to use the service.",
}


@bp.before_request
def deny_by_default():
    if request.endpoint in OPEN_VIEWS:
        return None
    if not current_user.is_authenticated:
        return _send_to_sign_in()
    view = current_app.view_functions.get(request.endpoint)
    if not auth.allowed(getattr(view, "required_permission", None)):
        # Elected members see figures only: a page they may not use is not there for them.
        abort(404 if current_user.role in RECORDS_HIDDEN else 403)
    audit.set_actor(current_user)
    return None


def _send_to_sign_in():
    ended = g.get("session_ended_because")
    if ended in ENDED_MESSAGES:
        cfg = current_app.config
        flash(ENDED_MESSAGES[ended].format(idle=cfg["SESSION_IDLE_MINUTES"],
                                           absolute=cfg["SESSION_ABSOLUTE_HOURS"]), "info")
    target = url_for("staff.sign_in", next=request.full_path.rstrip("?"))
    if htmx:
        # A fragment request cannot show a whole sign-in page: send the browser there.
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    if request.method != "GET":
        abort(403)
    return redirect(target)


@bp.context_processor
def staff_context():
    return {
        "service_name": current_app.config["STAFF_SERVICE_NAME"],
        "header_url": url_for("staff.dashboard"),
        "role_label": StaffRole.words_of,
        "label": label,
        "london_time": lambda moment: moment.astimezone(LONDON).strftime("%H:%M:%S") if moment else "",
    }


def is_panel_request() -> bool:
    """An HTMX request that swaps one part of the page in place, answered with that part
    only. A boosted link and a history restore are HTMX too, but want the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def page_or_fragment(template: str, block: str, **context):
    """The whole page, or only ``block`` for an HTMX request that swaps part of it in."""
    if is_panel_request():
        response = make_response(render_block(template, block, **context))
    else:
        response = make_response(render_template(template, **context))
    response.vary.add("HX-Request")
    return response


@bp.get("/")
@auth.signed_in_required
def dashboard():
    from portal.services.triage import dashboard as dashboard_service
    from portal.services.common import outbox
    from portal.services.accounts import staff_accounts
    from portal.services.common.dates import today

    board = dashboard_service.build(current_user, today()) if auth.allowed("view_cases") else None
    failed_mail = outbox.failed_count() if auth.allowed("view_failed_mail") else 0
    waiting = len(staff_accounts.awaiting_case_access()) if auth.allowed("approve_case_access") else 0
    return render_template("staff/dashboard.html", board=board, today=today(),
                           failed_mail=failed_mail, waiting_approval=waiting)
