"""Links that let the person who sent feedback follow it: signed, long-lived, and
bound to one record. A reference alone never shows anything."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.extensions import db
from portal.models import Feedback

SALT = "feedback-status-link"
# At least 12 months (the issue); a little over, so a link sent with a final response
# still works when the person thinks about going to the Ombudsman.
MAX_AGE_DAYS = 400


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(record: Feedback) -> str:
    return _serializer().dumps({"id": record.id, "ref": record.reference})


def url_for_record(record: Feedback) -> str:
    return f"{current_app.config['BASE_URL']}/your-feedback/{token_for(record)}"


def record_for(token: str) -> Feedback | None:
    """The record a token was made for, or None if it is tampered with or too old."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_DAYS * 24 * 3600)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    record = db.session.get(Feedback, data.get("id")) if isinstance(data.get("id"), int) else None
    if record is None or record.reference != data.get("ref"):
        return None
    return record
