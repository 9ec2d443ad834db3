"""Rounding and money (DOMAIN.md, The reporting period): exact, half up, never round()."""

from __future__ import annotations

from decimal import Decimal

from portal.services.reports.counting import average, by_name, money, percentage


def test_percentages_round_half_up_from_exact_counts():
    assert percentage(78, 105) == Decimal("74")  # 74.2857...: the seed's 73% is a slip
    assert percentage(1, 8) == Decimal("13")  # 12.5 rounds up (round() gives 12)
    assert percentage(10, 27, places=1) == Decimal("37.0")
    assert percentage(1, 27, places=1) == Decimal("3.7")
    assert percentage(0, 0) is None


def test_averages_round_half_up_to_one_decimal():
    assert average([1, 1, 1, 2]) == Decimal("1.3")  # 1.25; round(1.25, 1) gives 1.2
    assert average([26, 48]) == Decimal("37.0")
    assert average([]) is None


def test_money_is_pence_written_with_two_decimals():
    assert money(322400) == "3224.00"
    assert money(155050) == "1550.50"
    assert money(1) == "0.01"
    assert money(None) == "0.00"


def test_name_maps_drop_zeros_and_put_the_largest_first():
    assert list(by_name({"b": 1, "a": 1, "c": 3, "z": 0}).items()) == [("c", 3), ("a", 1), ("b", 1)]
    assert list(by_name({"professional": 1, "care_leaver": 2}, order=["care_leaver", "professional"])) == [
        "care_leaver", "professional"]
