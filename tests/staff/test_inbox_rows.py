"""The inbox's rows written in Python (staff/triage/rows.py): what people wrote is shown as
words, never as markup, escaped exactly as the templates escape it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape as markupsafe_escape

from portal.extensions import db
from portal.models import Person, Team
from staff.triage import rows
from tests import factories

AWKWARD = '<b>"Zoë" & O\'Brien</b><script>alert(1)</script>'


@given(st.text())
def test_a_value_is_escaped_as_the_templates_escape_it(value):
    assert rows.escape(value) == str(markupsafe_escape(value))


def test_a_name_with_markup_in_it_shows_as_words_in_the_inbox(signed_in):
    client = signed_in("feedback_manager")
    team = Team(name="Fostering & <Adoption>", active=True)
    db.session.add(team)
    record = factories.record(person=Person(name=AWKWARD, email="zoe@example.org"), team=team)
    page = client.get("/staff/inbox").get_data(as_text=True)
    assert f'href="/staff/cases/{record.reference}">{record.reference}</a>' in page
    assert "&lt;b&gt;&#34;Zoë&#34; &amp; O&#39;Brien&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Fostering &amp; &lt;Adoption&gt;" in page
    assert "<script>alert(1)" not in page and "<b>\"Zoë\"" not in page
