"""portal/services/common/spreadsheet_cells.py: no cell the portal writes runs as a formula."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.services.common.spreadsheet_cells import safe_cell


@pytest.mark.parametrize("text", ['=HYPERLINK("https://evil.example/")', "+1+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1)", "\t=1+1", "\r=1+1", "=", "-"])
def test_text_a_spreadsheet_would_run_starts_with_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Fostering Team", "a=b", "", None, 3, -3, Decimal("-12.50"),
                                   date(2024, 4, 1), "-12.50", "-3", "+4", "1300.00"])
def test_other_values_and_numbers_negative_too_are_unchanged(value):
    assert safe_cell(value) == value
