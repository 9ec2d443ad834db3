"""Fixtures for the report's tests: the hand-worked data set of ``dataset.py``."""

from __future__ import annotations

import pytest

from tests.reports import dataset


@pytest.fixture
def report_data(app):
    """The data set of dataset.py, loaded into the empty test database."""
    dataset.load()
    return dataset
