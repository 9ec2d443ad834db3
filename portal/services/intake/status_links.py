"""Links that let the person who sent feedback follow it: signed, long-lived, and
bound to one record. A reference alone never shows anything.

A link carries the case's link generation (``Feedback.status_link_generation``): asking
for a fresh link moves it on, so every older link stops working. Opening a link gives
the browser a short-lived, HttpOnly cookie for that case (``access_cookie``) and sends it
on to a page whose address holds no token, so that the token stays out of the page's
address, its history, the session cookie and the server's access log
(docs/security.md).
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from portal.extensions import db
from portal.models import Feedback

SALT = "feedback-status-link"
ACCESS_SALT = "feedback-status-page-access"
# At least 12 months (the issue); a little over, so a link sent with a final response
# still works when the person thinks about going to the Ombudsman.
MAX_AGE_DAYS = 400
# How long the status page stays open in a browser after its link was used.
ACCESS_MINUTES = 60
ACCESS_COOKIE = "feedback_status"
ACCESS_PATH = "/your-feedback"
ISSUED = "status_link_issued"  # the audit trail's entry when older links are revoked


def _serializer(salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def token_for(record: Feedback) -> str:
    return _serializer().dumps({"id": record.id, "ref": record.reference,
                                "gen": record.status_link_generation or 1})


def url_for_record(record: Feedback) -> str:
    return f"{current_app.config['BASE_URL']}/your-feedback/{token_for(record)}"


def _current(data) -> Feedback | None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    record = db.session.get(Feedback, data["id"])
    if record is None or record.reference != data.get("ref"):
        return None
    # Links made before generations existed carry none: they are the first generation.
    if data.get("gen", 1) != record.status_link_generation:
        return None
    return record


def record_for(token: str) -> Feedback | None:
    """The record a token was made for, or None if it is tampered with, too old, or
    older than the case's latest fresh link."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    return _current(data)


def new_generation(record: Feedback) -> Feedback:
    """Revoke every link made so far for this record: only links made from now on work.
    Written straight to the row, so that staff with the case open see no edit conflict
    (the record's ``version`` stays); audited. Not committed."""
    from portal.services.common import audit

    table = Feedback.__table__
    db.session.execute(table.update().where(table.c.id == record.id).values(
        status_link_generation=table.c.status_link_generation + 1,
        updated_at=table.c.updated_at))
    db.session.refresh(record, ["status_link_generation"])
    audit.record(None, ISSUED, "feedback", record.id,
                 new={"status_link_generation": record.status_link_generation})
    return record


# --- The browser's access to the page once a link is opened --------------------------


def access_cookie(record: Feedback) -> str:
    return _serializer(ACCESS_SALT).dumps({"id": record.id, "ref": record.reference,
                                           "gen": record.status_link_generation or 1})


def record_for_access(value: str | None) -> Feedback | None:
    """The record the browser's cookie opens, while it is young and its link current."""
    if not value:
        return None
    try:
        data = _serializer(ACCESS_SALT).loads(value, max_age=ACCESS_MINUTES * 60)
    except (BadSignature, SignatureExpired):
        return None
    return _current(data)


def grant_access(response, record: Feedback):
    """Let this browser open the record's status page for ``ACCESS_MINUTES``."""
    response.set_cookie(ACCESS_COOKIE, access_cookie(record), max_age=ACCESS_MINUTES * 60,
                        path=ACCESS_PATH, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response
