"""Signing in, two-step codes and enrolment, signing out, and the one-time links.

Between the password and the code, the session holds only a half-finished sign-in
(``PENDING``), which lasts ten minutes and lets the person reach nothing else.
"""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user

from portal import auth
from portal.extensions import db, limiter
from portal.security import same_site_path
from portal.models import StaffUser
from portal.services.accounts import auth as auth_service
from portal.services.accounts import staff_accounts
from portal.services.accounts.auth import LOCKED, WAIT, Refusal
from staff import bp
from staff.accounts.forms import CodeForm, EnrolForm, NewPasswordForm, PasswordResetRequestForm, SignInForm
from staff.changes import carry_out
from staff.fields import add_error

PENDING = "pending_sign_in"
PENDING_SECONDS = 10 * 60

WRONG_DETAILS = "Enter a correct email address and password"
WRONG_CODE = "Enter a correct code from your authenticator app, or a recovery code"


def refusal_message(refusal: Refusal, wrong: str) -> str:
    # The same words whether or not the address has an account.
    if refusal.reason == LOCKED:
        return (f"You have tried to sign in too many times with this email address. Wait "
                f"{refusal.wait_minutes} minutes, then try again, or reset your password.")
    if refusal.reason == WAIT:
        return (f"You have tried to sign in too many times. Wait {refusal.wait_seconds} seconds, "
                f"then try again.")
    return wrong


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


# One budget per address for every sign-in post, so an address cannot spread its tries
# over the password, code and reset forms.
_limited = limiter.shared_limit(_sign_in_limit, scope="staff-sign-in",
                                exempt_when=lambda: request.method == "GET")


def _safe_next(value: str | None) -> str | None:
    """Only a path within the staff pages: never another site."""
    return same_site_path(value, within="/staff/")


def _begin_pending(user: StaffUser, next_url: str | None) -> None:
    session.clear()  # nothing from before the password survives
    session[PENDING] = {"user_id": user.id, "at": time.time(), "next": next_url}


def _pending_user() -> StaffUser | None:
    pending = session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None
    user = db.session.get(StaffUser, pending["user_id"])
    return user if user is not None and user.active else None


def _finish(user: StaffUser):
    next_url = _safe_next((session.get(PENDING) or {}).get("next"))
    auth.start_session(user)
    return next_url or url_for("staff.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
@_limited
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        result = auth_service.check_password(form.email.data, form.password.data)
        if isinstance(result, Refusal):
            add_error(form, "email", refusal_message(result, WRONG_DETAILS))
        else:
            _begin_pending(result, _safe_next(request.args.get("next")))
            return redirect(url_for("staff.two_step" if result.two_step_enrolled else "staff.enrol"))
    return render_template("staff/sign_in.html", form=form)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limited
def two_step():
    user = _pending_user()
    if user is None or not user.two_step_enrolled:
        return redirect(url_for("staff.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        result = auth_service.check_code(user, form.code.data)
        if not isinstance(result, Refusal):
            return redirect(_finish(user))
        add_error(form, "code", refusal_message(result, WRONG_CODE))
    return render_template("staff/two_step.html", form=form)


@bp.route("/sign-in/set-up-two-step", methods=["GET", "POST"])
@_limited
def enrol():
    user = _pending_user()
    if user is None or user.two_step_enrolled:
        return redirect(url_for("staff.sign_in"))
    secret = auth_service.begin_enrolment(user)
    form = EnrolForm()
    if form.validate_on_submit():
        result = auth_service.confirm_enrolment(user, form.code.data)
        if not isinstance(result, Refusal):
            next_url = _finish(user)
            # Shown once, in this response, and kept nowhere in readable form.
            return render_template("staff/recovery_codes.html", codes=result, next_url=next_url)
        add_error(form, "code", refusal_message(result, "Enter the 6-digit code your authenticator app shows"))
    uri = auth_service.provisioning_uri(user)
    return render_template("staff/enrol.html", form=form, qr_svg=auth_service.qr_code_svg(uri),
                           key=auth_service.formatted_key(secret))


@bp.post("/sign-out")
@auth.signed_in_required
def sign_out():
    auth.end_session()
    flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


def _link_page(token: str, purpose: str, template: str, on_success):
    link = staff_accounts.find_link(token, purpose)
    if link is None:
        return render_template("staff/link_expired.html", purpose=purpose), 404
    form = NewPasswordForm()
    saved = carry_out(form, lambda f: staff_accounts.set_password(link, f.password.data))
    if saved.done:
        return on_success(saved.result)
    return render_template(template, form=form, user=link.user)


@bp.route("/set-up/<token>", methods=["GET", "POST"])
@_limited
def set_up(token: str):
    def enrol_next(user: StaffUser):
        _begin_pending(user, None)
        return redirect(url_for("staff.two_step" if user.two_step_enrolled else "staff.enrol"))

    return _link_page(token, staff_accounts.INVITE, "staff/set_up.html", enrol_next)


@bp.route("/reset-password", methods=["GET", "POST"])
@_limited
def password_reset():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        staff_accounts.request_password_reset(form.email.data)
        db.session.commit()  # account or not, the same work (the service says why)
        return render_template("staff/password_reset_sent.html", email=form.email.data)
    return render_template("staff/password_reset.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@_limited
def reset_password(token: str):
    def signed_out(user: StaffUser):
        session.clear()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("staff.sign_in"))

    return _link_page(token, staff_accounts.RESET, "staff/reset_password.html", signed_out)
