"""The import removes bidirectional control characters from every text (issue 14, item 17),
written as themselves or as JSON escapes."""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback
from portal.services.interchange import import_file
from tests.interchange.conftest import record


def test_imported_text_loses_its_bidi_controls(app, lines_file):
    line = record(summary="Raw \u202eoverride and \u2067isolate\u2069.",
                  submitter={"role": "parent_or_carer", "name": "A.\u200f Parent", "email": "parent@example.org"})
    # json.dumps writes every character beyond ASCII as a backslash-u escape.
    escaped = json.dumps(record("CF-2023-00002", summary="Escaped \u202Eand \u061c."))
    assert "\\u202e" in escaped
    path = lines_file([line, escaped])
    assert import_file(path).ok
    first, second = db.session.scalars(select(Feedback).order_by(Feedback.reference)).all()
    assert first.summary == "Raw override and isolate."
    assert first.person.name == "A. Parent"
    assert second.summary == "Escaped and ."
