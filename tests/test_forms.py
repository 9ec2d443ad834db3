"""portal/forms.py: the base form every page's forms are made from."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField, TextAreaField

from portal.forms import BaseForm, one_line


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
