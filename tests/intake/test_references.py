"""Reference numbers: readable, one sequence a year, unique under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from portal.extensions import db
from portal.models import Feedback
from portal.services.intake import references
from portal.services.intake.submissions import Submission, receive


def submission() -> Submission:
    return Submission(kind="compliment", submitter_role="other", summary="Thank you")


def test_references_count_up_within_a_year_and_start_again_in_the_next(app):
    at = lambda y, m, d: datetime(y, m, d, 12, tzinfo=timezone.utc)  # noqa: E731
    refs = [receive(submission(), now=at(2026, 3, 1)).reference,
            receive(submission(), now=at(2026, 3, 2)).reference,
            receive(submission(), now=at(2027, 1, 5)).reference]
    assert refs == ["CF-2026-00001", "CF-2026-00002", "CF-2027-00001"]


def test_the_year_is_the_london_date_of_receipt(app):
    # 00:30 on 1 January in London is still 31 December in no zone that matters here,
    # but 23:30 UTC on 31 December 2026 is 23:30 in London (GMT), so 2026.
    record = receive(submission(), now=datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc))
    assert record.reference.startswith("CF-2026-")
    # 23:30 UTC on 30 June is 00:30 BST on 1 July: received on 1 July.
    record = receive(submission(), now=datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc))
    assert record.received_on.isoformat() == "2026-07-01"


def test_numbers_taken_by_imported_records_are_skipped(app):
    db.session.add(Feedback(reference="CF-2026-00001", kind="compliment", received_on=datetime(2026, 1, 1).date(),
                            channel="email", submitter_role="other", summary="Imported"))
    db.session.commit()
    assert references.next_reference(2026) == "CF-2026-00002"


def test_concurrent_submissions_get_different_references(app):
    def submit(_):
        with app.app_context():
            try:
                reference = receive(submission()).reference
                db.session.commit()  # as the public form does once it is received
                return reference
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(submit, range(24)))
    assert len(set(refs)) == 24
    assert len(db.session.scalars(select(Feedback.reference)).all()) == 24


@pytest.mark.parametrize("typed", [
    "CF-2026-00064", "cf-2026-64", "CF 2026 00064", "cf 2026 64", " CF-2026-00064 ", "CF2026-00064",
    "CF202600064", "Cf/2026/64", "CF.2026.064", "CF - 2026 - 00064", "2026-64", "2026 00064",
    "C F 2026 64", "CF_2026_64",
])
def test_a_reference_is_read_as_people_type_it(typed):
    assert references.read_reference(typed) == "CF-2026-00064"


@pytest.mark.parametrize("typed", ["", None, "CF", "CF-26-64", "CF-2026", "CF-2026-00000", "XY-2026-00064",
                                   "CF-2026-00064-1", "my reference", "CF-2026-6x4"])
def test_what_cannot_be_a_reference_is_read_as_none(typed):
    assert references.read_reference(typed) is None


@given(year=st.integers(2000, 2099), number=st.integers(1, 99999), lower=st.booleans(),
       separator=st.sampled_from(["-", " ", "", " - ", "/", "."]), zeros=st.booleans())
def test_any_typing_of_a_reference_reads_back_as_written(year, number, lower, separator, zeros):
    written = references.format_reference(year, number)
    typed = f"CF{separator}{year}{separator}{number:05d}" if zeros else f"CF{separator}{year}{separator}{number}"
    if separator == "" and not zeros:
        typed = f"CF{year}-{number}"  # without a separator the number needs its zeros
    assert references.read_reference(typed.lower() if lower else typed) == written
