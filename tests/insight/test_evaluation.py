"""`flask insight evaluate`: the held-out file's themes are among the first three
suggestions for at least 85 in 100 records (issue 22, "Done when")."""

from __future__ import annotations

import json

from portal.services.insight.evaluation import Example, evaluate
from tests.insight.conftest import TEST, TRAIN
from tests.interchange.conftest import record, write


def test_evaluate_scores_the_held_out_file(runner, no_network):
    result = runner.invoke(args=["insight", "evaluate", "--train", str(TRAIN), "--test", str(TEST)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert set(scores) == {"theme", "team", "train_records", "test_records"}
    assert (scores["train_records"], scores["test_records"]) == (360, 120)
    assert scores["theme"]["top3"] >= 0.85
    assert scores["theme"]["top1"] <= scores["theme"]["top3"] <= 1
    assert 0 <= scores["team"]["top1"] <= scores["team"]["top3"] <= 1


def test_records_without_a_theme_are_left_out_of_its_score():
    # Two themes told apart by their words; the test record without a theme must not
    # count as a miss (it would make top-1 one half, not one).
    train = [Example(f"the taxi driver was late {i}", "Transport", "Education - Transport") for i in range(4)]
    train += [Example(f"my allowance was not paid {i}", "Finance", "Finance") for i in range(4)]
    test = [Example("the taxi never came and the driver was rude", "Transport", None),
            Example("the taxi again", None, "Education - Transport")]
    scores = evaluate(train, test)
    assert scores["theme"] == {"top1": 1.0, "top3": 1.0}
    assert scores["team"] == {"top1": 1.0, "top3": 1.0}
    assert (scores["train_records"], scores["test_records"]) == (8, 2)


def test_a_missing_file_is_refused(runner, tmp_path):
    path = write(tmp_path / "a.jsonl", [record()])
    result = runner.invoke(args=["insight", "evaluate", "--train", str(path), "--test", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "does not exist" in result.output
