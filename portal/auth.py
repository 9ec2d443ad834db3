"""Who is signed in, and what a view needs: Flask-Login wired to server-side sessions,
and the permission decorators the staff views declare.

The session cookie holds the account id (Flask-Login's ``_user_id``) and a random
session token; the account is only loaded when the token's ``StaffSession`` row is
live and within the idle and absolute timeouts. Sign-out and timeouts end the row,
so a copied cookie stops working the moment the session does.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, session
from flask_login import LoginManager, current_user, login_user, logout_user

from portal.models import StaffUser
from portal.services.accounts import auth as auth_service
from portal.services.accounts import permissions

login_manager = LoginManager()
SESSION_TOKEN = "staff_session"
# Marks a view any signed-in member of staff may use (their dashboard, signing out).
ANY_SIGNED_IN = "any_signed_in"


@login_manager.user_loader
def _load_user(user_id: str) -> StaffUser | None:
    try:
        wanted = int(user_id)
    except (TypeError, ValueError):
        return None
    user, ended_because = auth_service.session_user(session.get(SESSION_TOKEN), wanted)
    if user is None:
        g.session_ended_because = ended_because
        session.pop(SESSION_TOKEN, None)
        session.pop("_user_id", None)
    return user


def start_session(user: StaffUser) -> None:
    """Both steps passed: throw away the old session entirely and start a new one."""
    token = auth_service.complete_sign_in(user)
    session.clear()
    # Flask-WTF caches this request's CSRF token in g; the new session needs a new one,
    # or a page rendered in this same response (the recovery codes) carries a token
    # the cleared session no longer knows, and its next form is refused as expired.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    session.permanent = True
    session[SESSION_TOKEN] = token
    login_user(user)


def end_session() -> None:
    auth_service.end_session(session.get(SESSION_TOKEN))
    logout_user()
    session.clear()


def permission_required(permission: str):
    """Declare what a view needs. The staff blueprint's guard reads the declaration
    before the view runs (deny by default); the wrapper checks again, in case the view
    is ever reached another way."""
    if permission != ANY_SIGNED_IN and permission not in permissions.PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            from flask import abort

            if not allowed(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permission = permission
        return wrapped

    return decorate


signed_in_required = permission_required(ANY_SIGNED_IN)


def allowed(permission: str | None) -> bool:
    # The account itself, not the proxy: each attribute read through ``current_user``
    # asks Flask-Login for it again, and a page asks this twenty times.
    user = current_user._get_current_object()
    if permission is None or not user.is_authenticated:
        return False
    if permission == ANY_SIGNED_IN:
        return user.is_active
    return permissions.has_permission(user, permission)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    # Our own guard sends signed-out people to sign in; Flask-Login's would not know the
    # difference between a GET and a POST.
    login_manager.login_view = None
    login_manager.session_protection = "basic"
    # The cookie outlives nothing the server would still accept.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])

    @app.before_request
    def forget_the_last_request():
        # ``g`` outlives a request when an app context was already pushed (tests, CLI):
        # never let one request's signed-in person be the next one's.
        for name in ("_login_user", "audit_actor", "session_ended_because"):
            g.pop(name, None)

    @app.context_processor
    def staff_permissions():
        return {"can": allowed}
