"""portal/forms.py: the base form every page's forms are made from. Every form's
messages, walked: each form of the portal is made from BaseForm, and
every message it can show is worded as the GOV.UK Design System words them ("Your
complaint must be 5,000 characters or fewer"), never WTForms' own ("Field cannot be
longer than 5000 characters.", "Not a valid choice.")."""

from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import (BooleanField, DateField, DecimalField, FieldList, FormField, HiddenField, IntegerField,
                     PasswordField, SelectFieldBase, StringField, TextAreaField)
from wtforms.validators import Length

import public.forms  # noqa: F401  (the forms register themselves as subclasses)
import staff.case.forms  # noqa: F401
import staff.casework.forms  # noqa: F401
import staff.data_protection.views  # noqa: F401
import staff.accounts.forms  # noqa: F401
import staff.procedures.forms  # noqa: F401
from portal.forms import BaseForm, hidden_characters, one_line, read_id, subject_of

WTFORMS_WORDS = re.compile(r"Field cannot|Field must|Not a valid|This field|Invalid|could not coerce|"
                           r"is not a valid choice|^Number must be|Invalid email", re.IGNORECASE)
LENGTH = re.compile(r"^(?P<subject>[A-Z][^?]*) must be (?P<max>\d{1,3}(?:,\d{3})*) characters or fewer$")
# A question's words, which read badly before "must be": "What is your complaint about? must be".
QUESTION_START = re.compile(r"^(?:Tell us|Roughly|What (?:is|do|did|would you)|Who (?:would|are|is)|How (?:old|should|can)|"
                            r"Which|Why|Is|Are|Do|Does|Can|Would|Should)\b")
HONEYPOT = "website"  # hidden from people; a bot filling it in is never told anything


def every_form():
    found, todo = [], [BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__name__.startswith("_") and cls is not BaseForm:
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__name__))


FORMS = every_form()


@pytest.fixture(scope="module")
def app(_migrated):
    """One app for the walk: forms are made and validated without touching the database."""
    from portal import create_app
    from tests.conftest import test_config

    return create_app(test_config(_migrated))


def odd_answers(form) -> MultiDict:
    """Answers each field refuses: too long for a text field, not a choice, not a number."""
    data = MultiDict()
    for field in form:
        if isinstance(field, (HiddenField, BooleanField, FieldList, FormField)) or field.name == "csrf_token":
            continue
        if isinstance(field, SelectFieldBase):
            data.add(field.name, "not-one-of-the-choices")
        elif isinstance(field, (IntegerField, DecimalField)):
            data.add(field.name, "twelve")
        elif isinstance(field, DateField):
            for part in ("31", "2", "2026"):
                data.add(field.name, part)
        else:
            longest = max([v.max for v in field.validators if isinstance(v, Length) and v.max > 0] or [0])
            data.add(field.name, "x" * (longest + 1) if longest else "x")
    return data


def make(cls, formdata):
    return cls(formdata=formdata, meta={"csrf": False})


def test_the_walk_finds_the_forms_of_both_sides():
    names = {cls.__name__ for cls in FORMS}
    assert {"ComplaintForm", "YoungPersonForm", "StatusLinkForm", "LogContactForm", "PaymentForm",
            "SignInForm", "AuditSearchForm"} <= names
    assert len(FORMS) >= 50


@pytest.mark.parametrize("cls", FORMS, ids=[c.__name__ for c in FORMS])
def test_every_text_field_has_a_limit_said_about_its_subject(app, cls):
    with app.test_request_context(method="POST"):
        form = make(cls, MultiDict())
        for field in form:
            if field.name == HONEYPOT:
                continue
            if isinstance(field, StringField) and not isinstance(field, (HiddenField, PasswordField)):
                assert any(isinstance(v, Length) and v.max > 0 for v in field.validators), (
                    f"{cls.__name__}.{field.name} has no limit on its length")
            subject = subject_of(field)
            assert subject[0].isupper() and not subject.endswith("?"), (cls.__name__, field.name, subject)
            assert not QUESTION_START.match(subject), (cls.__name__, field.name, subject)


@pytest.mark.parametrize("cls", FORMS, ids=[c.__name__ for c in FORMS])
def test_every_message_a_form_shows_is_in_govuk_words(app, cls):
    with app.test_request_context(method="POST"):
        empty = make(cls, MultiDict({"csrf_token": "x"}))
        empty.validate()
        odd = make(cls, odd_answers(make(cls, MultiDict())))
        odd.validate()
        messages = [m for form in (empty, odd) for errors in form.errors.values() for m in errors
                    if isinstance(m, str)]
    for message in messages:
        assert not WTFORMS_WORDS.search(message), f"{cls.__name__}: {message!r}"
        assert (message[0].isupper() or message[0] == "\u2018") and not message.endswith("."), (
            f"{cls.__name__}: {message!r}")
        if "characters or fewer" in message:
            match = LENGTH.fullmatch(message)
            assert match, f"{cls.__name__}: {message!r}"
            assert not QUESTION_START.match(match["subject"]), f"{cls.__name__}: {message!r}"


@pytest.mark.parametrize(("form", "field", "message"), [
    (public.forms.ComplaintForm, "summary", "Your complaint must be 5,000 characters or fewer"),
    (public.forms.ConcernForm, "summary", "Your question or concern must be 5,000 characters or fewer"),
    (public.forms.ComplimentForm, "summary", "Your compliment must be 5,000 characters or fewer"),
    (public.forms.YoungPersonForm, "summary", "Your message must be 5,000 characters or fewer"),
    (public.forms.ComplaintForm, "desired_outcome", "What would put things right must be 2,000 characters or fewer"),
    (public.forms.ComplaintForm, "email", "Enter your email address in the correct format, like name@example.com"),
    (staff.case.forms.NoteForm, "note", "The note must be 10,000 characters or fewer"),
])
def test_the_words_of_some_messages(app, form, field, message):
    with app.test_request_context(method="POST"):
        data = MultiDict({field: "not an email" if "email" in message else "x" * 10_001})
        made = make(form, data)
        made.validate()
        assert message in made[field].errors


@pytest.mark.parametrize(("text", "hidden"), [
    ("plain words", False), ("tab\tand\r\nnew line", False), ("\U0001f642 \u00e9", False),
    ("nul\x00", True), ("bell\x07", True), ("escape\x1b[31m", True), ("delete\x7f", True), (None, False),
])
def test_hidden_characters_are_the_control_characters_nobody_types(text, hidden):
    assert hidden_characters(text) is hidden


@pytest.mark.parametrize(("value", "read"), [
    ("12", 12), (" 7 ", 7), ("-1", -1), ("2147483647", 2147483647), ("2147483648", None), ("9" * 60, None),
    ("1e3", None), ("", None), (None, None), ("twelve", None),
])
def test_an_id_is_a_whole_number_a_database_can_hold(value, read):
    assert read_id(value) == read


class _Form(BaseForm):
    name = StringField(filters=[one_line])
    story = TextAreaField()
    password = PasswordField()


def test_every_text_field_loses_bidi_controls_before_its_own_filters(app):
    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict({"name": " Alex\u202e  Example ", "story": "a\u2066b\u2069c",
                                         "password": "pass\u202eword"}), meta={"csrf": False})
    assert form.name.data == "Alex Example"
    assert form.story.data == "abc"
    # A password is checked exactly as typed.
    assert form.password.data == "pass\u202eword"
