"""What the staff forms share (staff/fields.py): the pick-list of teams, themes or staff,
the date boxes and the text box."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from werkzeug.datastructures import MultiDict

from portal.forms import BaseForm
from staff.fields import PickList, date_field, team_list, text_box

SEND = SimpleNamespace(id=3, name="SEND Team")
FOSTERING = SimpleNamespace(id=7, name="Fostering Team")


class _Form(BaseForm):
    team_id = team_list("Not known")
    owner_id = PickList("Owner", "Select an owner", "Select an owner from the list",
                        required="Select who owns the action")
    due_on = date_field("Due date", "Enter the date the action is due")
    done_on = date_field("Date done", hint=None)
    note = text_box("What was done", max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.offer([SEND, FOSTERING])
        self.owner_id.offer([SimpleNamespace(id=1, name="Sam Okafor")])


def _sent(app, **answers):
    data = {"owner_id": "1", "due_on": ["27", "3", "2026"], **answers}
    with app.test_request_context(method="POST"):
        form = _Form(formdata=MultiDict([(k, v) for k, vs in data.items()
                                         for v in (vs if isinstance(vs, list) else [vs])]),
                     meta={"csrf": False})
        return form, form.validate()


def test_a_pick_list_offers_none_first_then_what_the_form_was_given(app):
    form, ok = _sent(app)
    assert ok, form.errors
    assert form.team_id.choices == [("", "Not known"), (3, "SEND Team"), (7, "Fostering Team")]
    assert form.team_id.data is None
    assert form.owner_id.data == 1


def test_a_team_that_was_offered_is_taken_and_one_that_was_not_is_refused(app):
    form, ok = _sent(app, team_id="7")
    assert ok and form.team_id.data == 7
    form, ok = _sent(app, team_id="12")
    assert not ok and form.team_id.errors == ["Select a team from the list"]


def test_a_required_pick_list_left_at_none_is_refused_in_its_words(app):
    form, ok = _sent(app, owner_id="")
    assert not ok and form.owner_id.errors == ["Select who owns the action"]


def test_a_date_field_is_three_boxes_that_may_be_required(app):
    form, ok = _sent(app)
    assert form.due_on.data == date(2026, 3, 27)
    assert form.due_on.description == "For example, 27 3 2026" and not form.done_on.description
    form, ok = _sent(app, due_on=["", "", ""])
    assert not ok and form.due_on.errors == ["Enter the date the action is due"]
    assert form.done_on.errors == []


def test_a_text_box_is_tidied_and_its_length_said_in_govuk_words(app):
    form, ok = _sent(app, note="  Met the family  ")
    assert ok and form.note.data == "Met the family"
    form, ok = _sent(app, note="x" * 21)
    assert not ok and form.note.errors == ["What was done must be 20 characters or fewer"]


def test_a_date_field_takes_a_date_typed_in_one_box_or_words_in_the_three(app):
    """Issue 20: what people type (the date picker's box sends one value), and a month in
    words in the three boxes."""
    for typed, meant in (("1/11/2026", date(2026, 11, 1)), ("1 Nov 2026", date(2026, 11, 1)),
                         ("01.11.2026", date(2026, 11, 1)), ("2026-11-01", date(2026, 11, 1))):
        form, ok = _sent(app, due_on=typed)
        assert ok and form.due_on.data == meant, typed
    form, ok = _sent(app, due_on=["1", "Nov", "2026"])
    assert ok and form.due_on.data == date(2026, 11, 1)
    form, ok = _sent(app, due_on="31/02/2026")
    assert not ok and form.due_on.errors == ["Date must be a real date"]
    assert form.due_on.typed == "31/02/2026"  # shown again in its box


def test_today_is_a_date_people_type(app):
    from portal.services.common.dates import today

    form, ok = _sent(app, due_on="Today")
    assert ok and form.due_on.data == today()
