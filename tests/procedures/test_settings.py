"""Organisation timescales (DOMAIN.md: "Timescales are organisation settings with these
defaults"): kept in the timescale_setting table, every open deadline recomputed."""

from datetime import date

import pytest

from portal.models import TimescaleSetting
from portal.services.procedures.clocks import DEFAULT_TIMESCALES
from portal.services.procedures import current_timescales
from portal.services.common.errors import Refused
from portal.services.procedures.deadlines import set_timescales


def test_defaults_are_domain_md_until_the_organisation_changes_them(app):
    assert current_timescales().base == DEFAULT_TIMESCALES
    assert current_timescales().in_force("statutory", date(2034, 10, 18)) == DEFAULT_TIMESCALES


def test_changing_a_timescale_recomputes_open_deadlines(make_complaint, officer):
    record = make_complaint("statutory", stages=((date(2023, 12, 21), None),))
    assert record.due_on == date(2024, 1, 9)
    settings = set_timescales({"statutory_stage1": 15}, officer)
    assert settings.statutory_stage1 == 15 and current_timescales().base.statutory_stage1 == 15
    assert record.stages[0].due_on == record.due_on == date(2024, 1, 16)
    set_timescales({"statutory_stage1": 10}, officer)  # back to the default: no row kept
    assert TimescaleSetting.query.count() == 0 and record.due_on == date(2024, 1, 9)


def test_a_maximum_under_its_timescale_or_a_nonsense_value_is_refused(app, officer):
    with pytest.raises(Refused) as refusal:
        set_timescales({"statutory_stage1_maximum": 5}, officer)
    assert refusal.value.field == "statutory_stage1_maximum"
    with pytest.raises(Refused):
        set_timescales({"escalation_window": 0}, officer)
    with pytest.raises(Refused):
        set_timescales({"stage4": 3}, officer)
    assert current_timescales().base == DEFAULT_TIMESCALES
