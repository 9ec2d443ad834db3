"""The templates the portal ships with (defaults.py), as the person reads them."""

from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Person
from portal.services.correspondence import letters
from tests import factories

STARTED = date(2034, 10, 2)
SENT_ON = date(2034, 10, 18)


@pytest.mark.parametrize(("audience", "one", "two"), [
    ("adult", "You told us about one thing. Here is what we found.\n\n1. The social worker did not call back\n",
     "You told us about 2 things. Here is what we found about each one.\n\n1. The social worker did not call back 1\n"),
    ("young", "You told us about one thing. This is what we found.\n\n1. The social worker did not call back\n",
     "You told us about 2 things. This is what we found.\n\n1. The social worker did not call back 1\n"),
], ids=["adults", "young-people"])
@pytest.mark.parametrize("stage_number", [1, 2], ids=["stage-1", "stage-2"])
def test_a_stage_response_counts_the_elements_in_words_that_fit_one_or_more(app, audience, one, two, stage_number):
    """A walk through issue 18 found "You told us about 1 things" in a Stage 1 response to a
    complaint with one element."""
    officer = factories.staff("feedback_officer", "Olu Officer")
    purpose = f"stage{stage_number}_response"
    for elements, expected in ((1, one), (2, two)):
        stages = [factories.stage(STARTED, elements=elements)]
        if stage_number == 2:
            stages = [factories.stage(STARTED, date(2034, 10, 10)), factories.stage(date(2034, 10, 12), elements=elements)]
        record = factories.complaint(*stages, person=Person(name="Sam Taylor", email="sam@example.org"))
        db.session.commit()
        text = letters.draft(record, purpose, "email", audience, officer, SENT_ON).text
        assert expected in text, text
        assert "1 things" not in text
