"""The GOV.UK fields drawn once and kept (portal/widgets.py): each field must be byte for
byte what the GOV.UK macro draws for it, whatever is in its boxes, with hints, errors and
chosen options; and nothing a person wrote is kept."""

from __future__ import annotations

import pytest
from govuk_frontend_wtf import wtforms_widgets as govuk
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, RadioField, SelectField, StringField, TextAreaField

from portal import widgets
from staff.fields import RealDateField

# Values as people type them: markup, quotes, ampersands, spaces at either end, a value
# that looks like the marker a kept field holds, more than one line.
VALUES = ["", "Alex Example", "  O'Brien & <Sons> \"Ltd\"  ", "a\x00value-1\x00b", "Line one\nLine two",
          "Ends with a new line\n", "é – ✓", "1", Markup("<b>kept as Markup</b>")]


def fields(widget_of):
    """A form of each kind of field the staff pages use, with the widgets ``widget_of`` gives
    (our kept ones, or govuk-frontend-wtf's own)."""

    class Fields(Form):
        name = StringField("Full name", description="As it is on the letter", widget=widget_of("GovTextInput"))
        plain = StringField("Reference", widget=widget_of("GovTextInput"))
        note = TextAreaField("What happened", description="Say briefly", widget=widget_of("GovTextArea"))
        counted = TextAreaField("Summary", widget=widget_of("GovCharacterCount"))
        team = SelectField("Team", choices=[("", "Not set"), (3, "SEND Team"), (7, "Fostering & <Adoption>")],
                           coerce=str, widget=widget_of("GovSelect"))
        kind = RadioField("Kind", choices=[("a", "Apple"), ("b", "Banana")], widget=widget_of("GovRadioInput"))
        on = RealDateField("Date received", description="For example, 27 3 2026", widget=widget_of("GovDateInput"))

    return Fields


OURS, THEIRS = fields(lambda name: getattr(widgets, name)()), fields(lambda name: getattr(govuk, name)())
PARAMS = [{}, {"params": {"classes": "govuk-!-width-two-thirds"}}, {"params": {"rows": 2}},
          {"params": {"fieldset": {"legend": {"text": "When", "classes": "govuk-fieldset__legend--s"}}}},
          {"autocomplete": "name", "data-x": True}]


def drawn(form_class, data, errors=None, **kwargs) -> dict[str, str]:
    form = form_class(formdata=MultiDict(data) if data is not None else None)
    for name, error in (errors or {}).items():
        form[name].errors = [error]
    return {field.name: str(field(**kwargs)) for field in form}


def same(app, data, errors=None, **kwargs):
    with app.test_request_context():
        theirs = drawn(THEIRS, data, errors, **kwargs)
        for _ in range(2):  # drawn and kept, then kept
            assert drawn(OURS, data, errors, **kwargs) == theirs


def test_an_empty_form_is_the_govuk_markup_drawn_then_kept(app):
    for kwargs in PARAMS:
        same(app, None, **kwargs)
    assert app.extensions["kept_fields"]


@pytest.mark.parametrize("value", VALUES)
def test_whatever_is_in_the_boxes_the_field_is_the_govuk_markup(app, value):
    boxes = [("name", value), ("plain", value), ("note", value), ("counted", value), ("team", "7"),
             ("kind", "b"), ("on", value), ("on", "3"), ("on", value)]
    for kwargs in PARAMS:
        same(app, boxes, **kwargs)


def test_a_field_with_an_error_or_a_hint_is_the_govuk_markup(app):
    errors = {name: f"Enter the {name}" for name in ("name", "note", "counted", "team", "kind", "on")}
    same(app, [("name", "Sam"), ("on", "31"), ("on", "2"), ("on", "2026")], errors)
    same(app, [("team", "3")], {"team": "Select a team from the list"})


# The app is only read: its kept fields are what is tested, across the examples.
@settings(max_examples=200, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_text_in_any_box_is_the_govuk_markup(app, value):
    same(app, [("name", value), ("note", value), ("on", value), ("on", value), ("on", value)])


def test_a_radio_drawn_by_a_template_is_the_govuk_macro_and_a_true_is_not_a_one(app):
    macro = app.jinja_env.from_string(
        '{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}{{ govukRadios(params) }}')
    for value in (True, 1, "1", None):
        params = {"name": "answer", "idPrefix": "answer", "fieldset": {"legend": {"text": "Agreed?"}},
                  "items": [{"value": value, "text": "Yes", "checked": value == 1}, {"value": "no", "text": "No"}]}
        with app.test_request_context():
            for _ in range(2):
                assert widgets.component("radios", params) == macro.render(params=params)
    conditional = {"name": "how", "items": [{"value": "e", "text": "Email", "conditional": {"html": Markup("<p>x</p>")}}]}
    with app.test_request_context():
        assert widgets.component("radios", conditional) == macro.render(params=conditional)
        assert not widgets.keepable("radios", conditional)  # other fields' markup: never kept


def test_nothing_a_person_wrote_is_kept(app):
    answers = [("name", "Alex Example"), ("note", "Nobody told us"), ("on", "14"), ("on", "3"), ("on", "1987")]
    with app.test_request_context():
        page = drawn(OURS, answers)
        app.extensions["kept_fields"].clear()
        assert drawn(OURS, answers) == page
        kept = repr(app.extensions["kept_fields"])
    assert "Alex Example" in page["name"] and "Nobody told us" in page["note"] and 'value="1987"' in page["on"]
    for written in ("Alex Example", "Nobody told us", "1987", "14"):
        assert written not in kept
    # A field with an error is drawn afresh each time, never kept.
    with app.test_request_context():
        app.extensions["kept_fields"].clear()
        drawn(OURS, answers, {"name": "Enter a shorter name"})
        assert not any("Enter a shorter name" in markup for markup in app.extensions["kept_fields"].values())


def test_a_pick_list_of_what_people_wrote_is_never_kept(app):
    class Attach(Form):
        about = SelectField("What is it about?", choices=[("case", "The case"), ("element-1", "Nobody told us")],
                            widget=widgets.GovSelect(keep=False))

    with app.test_request_context():
        app.extensions.setdefault("kept_fields", {}).clear()
        assert "Nobody told us" in str(Attach()["about"]())
        assert app.extensions["kept_fields"] == {}


def test_the_kept_fields_stay_few(app, monkeypatch):
    monkeypatch.setattr(widgets, "MOST_KEPT", 3)
    with app.test_request_context():
        for n in range(10):
            drawn(OURS, [("team", "3")], params={"classes": f"app-{n}"})
            assert len(app.extensions["kept_fields"]) <= 3
