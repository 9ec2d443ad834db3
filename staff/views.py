"""Staff pages. Deny by default: nothing here is reachable without signing in,
except the few views listed in ``OPEN_VIEWS``."""

from flask import abort, request

from staff import bp

# Endpoints a signed-out person may reach (sign-in and password reset, when built).
OPEN_VIEWS: set[str] = set()


@bp.before_request
def deny_by_default():
    if request.endpoint not in OPEN_VIEWS:
        abort(403)
