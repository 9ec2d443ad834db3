"""Text written into a CSV or XLSX cell that no spreadsheet will run as a formula.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-`` or
``@`` as a formula (a tab or carriage return first can hide one), so a team called
``=HYPERLINK("https://evil.example/", "Open")`` would become a live link or worse in the
report a manager opens. Every CSV and XLSX file the portal writes passes each cell
through ``safe_cell``: such text gets a leading apostrophe, which spreadsheets show as
text. Numbers stay numbers, negative ones too, whether held as numbers or as text like
``-12.50`` (money in a CSV).
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def safe_cell(value):
    """``value`` as it may go into a cell: text that a spreadsheet would take for a formula
    begins with an apostrophe; anything else (numbers, dates, None) is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
