"""Records and staff for triage tests (tests/factories.py)."""

from __future__ import annotations

from datetime import date
from functools import partial

import pytest

from tests import factories


@pytest.fixture
def officer(app):
    return factories.staff("feedback_officer", "Olu Officer", email="officer@example.org")


@pytest.fixture
def make_user(app):
    return factories.staff


@pytest.fixture
def make_record(app):
    """New records (initial contacts unless told) received on Monday 2 November 2026 unless told otherwise."""
    return partial(factories.record, received_on=date(2026, 11, 2))
