"""Form helpers both sides use: text clean-up and GOV.UK-worded validators."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import ValidationError

from portal.services.people import is_email
from portal.text import strip_bidi_controls

# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_bidi_controls(value):
    return strip_bidi_controls(value)


class BaseForm(FlaskForm):
    """The form every page's forms are made from: every field that holds text loses its
    bidirectional control characters (portal/text.py) before any other filter or
    validator sees it. Passwords are left exactly as typed."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if not issubclass(unbound_field.field_class, PasswordField):
                own = options.get("filters", unbound_field.kwargs.get("filters", ()))
                options["filters"] = (_without_bidi_controls, *own)
            return super().bind_field(form, unbound_field, options)


def clean_text(value):
    """Strip surrounding space and control characters a person cannot have meant."""
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", value).replace("\r\n", "\n").strip()


def one_line(value):
    value = clean_text(value)
    return re.sub(r"\s+", " ", value) if value else value


class Email:
    """A real-looking email address (syntax only: no look-ups from the server)."""

    def __init__(self, message: str = "Enter an email address in the correct format, like name@example.com"):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        try:
            result = validate_email(field.data, check_deliverability=False)
        except EmailNotValidError as exc:
            raise ValidationError(self.message) from exc
        if not is_email(result.normalized):  # the rule the import and the outbox apply
            raise ValidationError(self.message)
        field.data = result.normalized


class UKPhone:
    """A phone number: digits, spaces and the usual punctuation, 10 to 15 digits."""

    def __init__(self, message: str = "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        if not re.fullmatch(r"[0-9 +()\-.]+", field.data):
            raise ValidationError(self.message)
        digits = re.sub(r"\D", "", field.data)
        if not 10 <= len(digits) <= 15:
            raise ValidationError(self.message)
