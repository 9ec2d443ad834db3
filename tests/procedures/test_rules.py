"""The procedure rule-book: what each stage of each procedure is (DOMAIN.md, "Procedures,
stages and clocks" and "Both procedures")."""

import pytest

from portal.services.procedures import rules
from portal.services.procedures.clocks import Procedure


def test_the_statutory_procedure_has_three_stages_and_the_corporate_two():
    assert [rule.number for rule in rules.stages("statutory")] == [1, 2, 3]
    assert [rule.number for rule in rules.stages("corporate")] == [1, 2]
    assert rules.last_stage("statutory").number == 3
    assert rules.last_stage("corporate").number == 2


def test_only_the_last_stage_is_last():
    """After the last stage the complainant may go to the LGSCO."""
    assert [rule.last for rule in rules.stages("statutory")] == [False, False, True]
    assert [rule.last for rule in rules.stages("corporate")] == [False, True]


def test_each_stage_has_the_name_people_read():
    assert rules.stage_name("statutory", 1) == "Stage 1 (local resolution)"
    assert rules.stage_name("statutory", 2) == "Stage 2 (independent investigation)"
    assert rules.stage_name("statutory", 3) == "Stage 3 (review panel)"
    assert rules.stage_name("corporate", 1) == "Stage 1"
    assert rules.stage_name("corporate", 2) == "Stage 2 (review)"


def test_who_runs_each_stage():
    """Statutory: Stage 1 the officer, Stage 2 an Investigating Officer and Independent
    Person, Stage 3 a panel of three independent people. Corporate: an officer."""
    assert [rule.run_by for rule in rules.stages("statutory")] == [
        rules.RunBy.OFFICER, rules.RunBy.INVESTIGATION, rules.RunBy.REVIEW_PANEL]
    assert [rule.run_by for rule in rules.stages("corporate")] == [rules.RunBy.OFFICER] * 2
    assert rules.stage("statutory", 2).independent_person
    assert not rules.stage("corporate", 2).independent_person


def test_only_statutory_stage_3_is_a_review_panel_with_three_clocks():
    panels = [(rule.procedure, rule.number) for procedure in ("statutory", "corporate")
              for rule in rules.stages(procedure) if rule.review_panel]
    assert panels == [("statutory", 3)]
    assert rules.stage("statutory", 3).clock is rules.Clock.REVIEW_PANEL
    assert rules.stage("statutory", 2).clock is rules.Clock.RESPONSE


def test_the_review_panel_is_neither_extended_nor_paused():
    """Stage 3 extension: none; its clocks take no pause. Every other stage can be
    extended (with a reason) and paused (court, police or disciplinary proceedings)."""
    for procedure in ("statutory", "corporate"):
        for rule in rules.stages(procedure):
            assert rule.extendable is (not rule.review_panel)
            assert rule.pausable is (not rule.review_panel)


def test_corporate_stages_are_acknowledged_and_stage_2_has_its_own_conditions():
    """Corporate: acknowledge within 5 WD; Stage 2 by someone other than the Stage 1
    officer, extended only with the complainant's agreement."""
    assert [rule.acknowledged for rule in rules.stages("corporate")] == [True, True]
    assert not any(rule.acknowledged for rule in rules.stages("statutory"))
    second = rules.stage("corporate", 2)
    assert second.not_stage1_officer and second.extension_agreed
    assert not rules.stage("statutory", 2).not_stage1_officer
    assert not rules.stage("statutory", 2).extension_agreed


def test_the_procedure_codes_of_the_clocks_find_the_same_rules():
    assert rules.stage(Procedure.STATUTORY, 3) is rules.stage("statutory", 3)


def test_a_stage_a_procedure_lacks_is_refused():
    with pytest.raises(ValueError, match="no Stage 3"):
        rules.stage("corporate", 3)
    with pytest.raises(ValueError):
        rules.stages("informal")
