"""portal/services/common/text.py: bidirectional control characters are removed, nothing else."""

from __future__ import annotations

import pytest

from portal.services.common.text import BIDI_CONTROLS, strip_bidi_controls, strip_bidi_controls_within

EVERY_CONTROL = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
                 "\u200e", "\u200f", "\u061c"]


def test_the_list_is_the_one_the_issue_names():
    assert sorted(BIDI_CONTROLS) == sorted(EVERY_CONTROL)


@pytest.mark.parametrize("control", EVERY_CONTROL)
def test_each_control_is_removed(control):
    assert strip_bidi_controls(f"invoice{control}fdp.exe") == "invoicefdp.exe"


def test_other_text_is_kept_as_it_is():
    text = "Zoë O'Brien, مرحبا, שלום, 👩\u200d👧 (joiner kept), tab\tand\nline"
    assert strip_bidi_controls(text) == text
    assert strip_bidi_controls(None) is None and strip_bidi_controls(5) == 5


def test_every_text_in_a_record_is_cleaned():
    record = {"name": "A\u202eB", "staff": ["C\u2066D", 3], "nested": {"x": "\u200fE"}, "n": None}
    assert strip_bidi_controls_within(record) == {"name": "AB", "staff": ["CD", 3], "nested": {"x": "E"},
                                                  "n": None}
