"""Form helpers both sides use: the base form every form of the portal is made from
(BaseForm, the one place request input is read and refused), text clean-up and
GOV.UK-worded validators."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from flask import has_request_context, request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import FileField, PasswordField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from portal.services.intake.people import is_email
from portal.services.common.text import strip_bidi_controls

# C0 control characters other than tab, line feed and carriage return, and DEL: nobody
# types them, and some (NUL) no database will store.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def hidden_characters(text) -> bool:
    """Whether text has a control character a person cannot have typed."""
    return isinstance(text, str) and bool(_CONTROL.search(text))


def hidden_characters_message(subject: str) -> str:
    return f"{subject} must not include hidden characters. Type it in again instead of pasting it"


# The largest id a database's integer column holds (PostgreSQL's integer, 32 bits).
LARGEST_ID = 2**31 - 1


def read_id(value) -> int | None:
    """A record's id from a query string or a form, or None: not a whole number, or
    larger than any id can be (PostgreSQL refuses to compare an integer column with one)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -LARGEST_ID <= number <= LARGEST_ID else None


def length_message(subject: str, maximum: int) -> str:
    """GOV.UK's words: "Your complaint must be 5,000 characters or fewer"."""
    return f"{subject} must be {maximum:,} characters or fewer"


class MaxLength(Length):
    """At most ``maximum`` characters, refused in GOV.UK words about ``subject``
    ("Your complaint"); without a subject, the form finds one (subject_of)."""

    def __init__(self, maximum: int, subject: str | None = None):
        super().__init__(max=maximum, message=length_message(subject, maximum) if subject else None)
        self.subject = subject


class Called:
    """Says what a field's messages call it, where its label and messages do not: the
    ``subject`` ("The reason the hold is lifted") and what to select (``choice``, "a team")."""

    def __init__(self, subject: str | None = None, choice: str | None = None):
        self.subject, self.choice = subject, choice

    def __call__(self, form, field):  # a validator that always passes
        return None


_ARTICLE = re.compile(r"^(?:a|an)\s+", re.IGNORECASE)
# A question's words, which read badly before "must be": "What is your complaint about? must be".
_QUESTION = re.compile(r"\?$|^(?:tell us|roughly|what (?:is|do|did|would you)|who (?:would|are|is)|"
                       r"how|why|whether|which|is|are|do|does|can|would|should|did|leave)\b", re.IGNORECASE)
# WTForms' own messages, as GOV.UK words would say them (each a format of the subject).
_DEFAULTS = {
    "Not a valid choice": "Select {choice} from the list",
    "Invalid Choice: could not coerce": "Select {choice} from the list",
    "Invalid choice(s): one or more data inputs could not be coerced": "Select {choice} from the list",
    "is not a valid choice for this field": "Select {choice} from the list",
    "Not a valid integer value": "{subject} must be a number",
    "Not a valid decimal value": "{subject} must be a number",
    "Not a valid float value": "{subject} must be a number",
    "Not a valid date value": "{subject} must be a real date",
    "Not a valid datetime value": "{subject} must be a real date and time",
    "This field is required": "Enter {lower}",
}


def subject_of(field) -> str:
    """What a message calls the field: as Called or MaxLength says; or what its "Enter ..."
    message asks for ("Enter the LGSCO reference": "The LGSCO reference"); or its label,
    when the label is not a question."""
    for validator in field.validators:
        if getattr(validator, "subject", None):
            return validator.subject
    for validator in field.validators:
        message = getattr(validator, "message", None) if isinstance(validator, InputRequired) else None
        if message and message.startswith("Enter ") and not _QUESTION.search(message[6:]):
            phrase = _ARTICLE.sub("the ", message[6:], count=1)
            return phrase[0].upper() + phrase[1:]
    text = (field.label.text if field.label else "").replace(" (optional)", "").removeprefix("Or enter ")
    if text and not _QUESTION.search(text):
        return text[0].upper() + text[1:]
    return "Your answer"


def _without_bidi_controls(value):
    return strip_bidi_controls(value)


class BaseForm(FlaskForm):
    """The form every page's forms are made from. Input is read from the form fields
    alone (a file sent in a text field, or a JSON body, is never taken as an answer);
    every field that holds text loses its bidirectional control characters
    (portal/services/common/text.py) before any other filter or validator sees it (passwords are left
    exactly as typed); an answer with hidden control characters, or sent as a file, is
    refused in the field's own error; WTForms' own messages are said in GOV.UK words."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                return request.form if request.method in SUBMIT_METHODS and request.form else None
            return formdata

        def bind_field(self, form, unbound_field, options):
            if not issubclass(unbound_field.field_class, PasswordField):
                own = options.get("filters", unbound_field.kwargs.get("filters", ()))
                options["filters"] = (_without_bidi_controls, *own)
            return super().bind_field(form, unbound_field, options)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        files = request.files if has_request_context() else {}
        for field in self:
            if field.name in files and not isinstance(field, FileField):
                field.errors = [f"{subject_of(field)} must be typed in, not sent as a file"]
                ok = False
            elif any(hidden_characters(value) for value in getattr(field, "raw_data", None) or ()):
                field.errors = [hidden_characters_message(subject_of(field))]
                ok = False
            else:
                said = [self._in_govuk_words(field, message) for message in field.errors]
                field.errors = [m for i, m in enumerate(said) if m not in said[:i]]  # each said once
        return ok

    @staticmethod
    def _in_govuk_words(field, message):
        if not isinstance(message, str):
            return message
        if message.startswith("Field cannot be longer than") or message.startswith("Field must be between"):
            maximum = next(v.max for v in field.validators if isinstance(v, Length))
            return length_message(subject_of(field), maximum)
        for default, words in _DEFAULTS.items():
            if default in message:
                # The field's own words say it best: "Select who you are", "Enter your age as a number".
                own = [v.message for v in field.validators if isinstance(v, (InputRequired, NumberRange))
                       and v.message and (isinstance(v, NumberRange) or v.message.startswith(("Select", "Choose")))]
                if own and (words.startswith("Select") or "number" in words):
                    return own[0]
                return words.format(subject=subject_of(field), lower=_lower(subject_of(field)),
                                    choice=_choice(field))
        return message


class FileForm(BaseForm):
    """A form that takes files (a view marked ``portal.uploads.accepts_files``): its file
    fields (FileField, MultipleFileField) read the request's files; every other field
    still reads the form alone, and one sent as a file is refused as on any form."""

    class Meta(BaseForm.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                if request.method in SUBMIT_METHODS and (request.form or request.files):
                    return CombinedMultiDict((request.files, request.form))
                return None
            return formdata


def _lower(subject: str) -> str:
    """"The team" to "the team"; a name ("Independent Person", "LGSCO") keeps its capitals."""
    words = subject.split()
    if words[0] not in ("The", "Your", "Their", "A", "An") and (
            words[0].isupper() or any(w[0].isupper() for w in words[1:])):
        return subject
    return subject[0].lower() + subject[1:]


def _choice(field) -> str:
    """What to select: as Called says, or "the team"; "an answer" when the label is a question."""
    for validator in field.validators:
        if getattr(validator, "choice", None):
            return validator.choice
    subject = subject_of(field)
    if subject == "Your answer":
        return "an answer"
    subject = _lower(subject)
    return subject if re.match(r"(?:the|your|their|a|an|who|what) ", subject) else f"the {subject}"


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
