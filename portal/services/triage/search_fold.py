"""The inbox search's "contains, ignoring case" for SQLite, row by row, exactly as its
FTS5 trigram tables answer it.

The trigram tokenizer folds each character on its own (no character becomes two), by
SQLite's own table, not Python's: Python lowers letters of newer Unicode versions that
SQLite leaves alone, and "İ" to two characters. So the table is read from SQLite's FTS5
itself, once a process, for every character Python says has a case (and U+FFFE and U+FFFF,
which SQLite reads as U+FFFD); the tests check that FTS5 folds no other character (tests/triage/test_search_fold.py). A phrase of three
characters or more matches a column when the folded column holds the folded phrase, which
is what ``contains`` tests.
"""

from __future__ import annotations

import sqlite3
import sys
from functools import cache

SQL_FUNCTION = "search_contains"


def fold(text: str) -> str:
    return text.translate(_fold_table())


def contains(value: str | None, folded: str) -> bool:
    """Whether ``value``, folded, holds ``folded`` (the text searched for, folded already)."""
    return value is not None and folded in value.translate(_fold_table())


def register(connection: sqlite3.Connection) -> None:
    connection.create_function(SQL_FUNCTION, 2, contains, deterministic=True)


def probed_characters() -> list[str]:
    """Every character Python gives another case (surrogates cannot be stored), and the
    two that SQLite reads as U+FFFD."""
    return [c for c in map(chr, range(1, sys.maxunicode + 1))
            if not 0xD800 <= ord(c) <= 0xDFFF and (c.lower() != c or c.upper() != c or c.casefold() != c)
            ] + ["\ufffe", "\uffff"]


def fts5_folds(characters: list[str]) -> dict[str, str]:
    """What SQLite's trigram tokenizer folds each character to: each written three times,
    so that every third token is the character's folded form three times over."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
        connection.execute("CREATE VIRTUAL TABLE probe_terms USING fts5vocab(probe, 'instance')")
        connection.execute("INSERT INTO probe (x) VALUES (?)", ("".join(c * 3 for c in characters),))
        terms = {offset // 3: term for term, offset in connection.execute(
            "SELECT term, offset FROM probe_terms WHERE offset % 3 = 0")}
    finally:
        connection.close()
    return {c: terms[i][0] for i, c in enumerate(characters)}


@cache
def _fold_table() -> dict[int, str]:
    return {ord(c): folded for c, folded in fts5_folds(probed_characters()).items() if folded != c}
