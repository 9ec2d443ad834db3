"""Templates as data (issue 18, 1 and "Bad input"): saved in versions, rendered in Jinja's
sandbox, and refused when saved, with the line and the reason, when they do not parse,
name a field that is not a merge field or reach outside the sandbox."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from portal.services.common.errors import Refused
from portal.services.correspondence import defaults, merge_fields, templates
from tests import factories

DOCS = Path(__file__).resolve().parents[2] / "docs" / "letters.md"


@pytest.mark.parametrize("purpose", sorted(defaults.BODIES))
def test_every_default_is_a_template_that_would_be_accepted(app, purpose):
    subject, adults, young = defaults.BODIES[purpose]
    for text in (subject, adults, young):
        templates.check_template(text)
    assert young != adults


@pytest.mark.parametrize(("text", "message"), [
    ("Dear {{ person.name }},\n\n{{ person.nmae }}", "Line 3: {{ person.nmae }} is not a merge field"),
    ("Hello\n{% if case.reference %}\nno end", "Line 3: the template cannot be read"),
    ("{{ ''.__class__.__mro__ }}", "Line 1: that reaches outside the merge fields"),
    ("{{ person.__dict__ }}", "Line 1: that reaches outside the merge fields"),
    ("one\n{{ lipsum() }}", "Line 2: {{ lipsum }} is not a merge field"),
    ("{{ range(100) }}", "Line 1: {{ range }} is not a merge field"),
    ("{% include 'base.html' %}", "Line 1: a letter template cannot include"),
    ("{{ person['name'] }}", "Line 1: write a merge field with dots"),
    ("{% for e in elements %}\n{{ e.summary }} {{ e.finding }}\n{% endfor %}", "Line 2: {{ e.finding }} is not"),
    ("{% for x in person.name %}{% endfor %}", "Line 1: a loop can only go through"),
    ("{% if case.is_compliment %}{{ case.secret }}{% endif %}", "Line 1: {{ case.secret }} is not a merge field"),
])
def test_a_bad_template_is_refused_with_its_line_and_reason(app, text, message):
    with pytest.raises(Refused) as refused:
        templates.check_template(text)
    assert refused.value.message.startswith(message), refused.value.message
    assert refused.value.field == "body"


def test_loop_fields_and_every_listed_field_are_accepted(app):
    text = "\n".join("{{ %s }}" % name for name in merge_fields.FIELDS
                     if not name.startswith("element.") and name not in ("elements", "restriction.list"))
    text += "\n{% for element in elements %}{{ loop.index }} {{ element.number }} {{ element.summary }} " \
            "{{ element.outcome }}{% endfor %}{% for item in restriction.list %}{{ item }}{% endfor %}"
    templates.check_template(text)


def test_a_default_is_saved_as_version_1_when_first_edited_and_each_edit_is_a_new_version(app):
    manager = factories.staff("feedback_manager", "Mo Manager")
    assert templates.current("acknowledgement", "email", "adult").version == 0
    saved = templates.save("acknowledgement", "email", "adult", "Thanks - {{ case.reference }}",
                           "Dear {{ person.name }}, thank you.", manager)
    again = templates.save("acknowledgement", "email", "adult", "Thanks", "Thank you again.", manager)
    assert (saved.version, again.version) == (2, 3)
    [v3, v2, v1] = templates.versions("acknowledgement", "email", "adult")
    assert (v1.version, v1.body) == (1, defaults.BODIES["acknowledgement"][1])
    assert templates.current("acknowledgement", "email", "adult").body == "Thank you again."
    # the other channel and audience are untouched
    assert templates.current("acknowledgement", "letter", "adult").version == 0


def test_a_field_with_no_value_shows_as_missing(app):
    record = factories.initial_contact(person=None)
    values = merge_fields.for_case(record, channel="letter", sent_on=date(2034, 10, 18))
    text = templates.render("{{ stage.due_on }} / {{ case.reference }} / "
                            "{% if person.name %}named{% else %}no name{% endif %}", values)
    assert text == f"[no value: stage.due_on] / {record.reference} / no name\n"


def test_docs_list_every_merge_field():
    listed = set(re.findall(r"^\| `\{\{ ([a-z_.]+) \}\}` \|", DOCS.read_text(), re.M))
    assert listed == set(merge_fields.FIELDS)
