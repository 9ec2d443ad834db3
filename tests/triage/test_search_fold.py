"""SQLite's row-by-row search (search_fold) folds case as the FTS5 trigram tables do."""

from __future__ import annotations

import os
import sys

import pytest

from portal.services.triage import search_fold


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's search only (and 10 s or more)")
def test_fts5_folds_no_character_that_python_gives_no_case():
    # The fold table is read from FTS5 for the characters Python says have a case; any
    # other character FTS5 folded would be missed by the walk and found by the index.
    probed = set(search_fold.probed_characters())
    others = [chr(c) for c in range(1, sys.maxunicode + 1)
              if not 0xD800 <= c <= 0xDFFF and chr(c) not in probed]
    changed = {c: f for c, f in search_fold.fts5_folds(others).items() if f != c}
    assert changed == {}


def test_each_character_is_folded_as_fts5_folds_it_not_as_python_lowers_it():
    assert search_fold.fold("ZOË ŞÜKRÜ STRAßE ΣΟΦΙΑ") == "zoë şükrü straße σοφια"
    assert search_fold.fold("Σ") == "σ"  # Python lowers a final sigma to ς; FTS5 does not
    assert search_fold.fold("İ") == search_fold.fts5_folds(["İ"])["İ"]  # one character, as FTS5 has it
    assert search_fold.contains("The taxi was LATE", "late") and not search_fold.contains(None, "late")
