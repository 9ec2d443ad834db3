"""Scoring the model on interchange files: ``flask insight evaluate --train A --test B``.

Each feedback line gives its text (summary and desired outcome), its theme and its team:
the record's own, else its first stage's. A line without a theme is left out of the theme
scores, one without a team out of the team scores (issue 22).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from portal.services.insight.model import Classifier, text_of, top_k_accuracy


@dataclass(frozen=True)
class Example:
    text: str
    theme: str | None
    team: str | None


def read_examples(path: str | os.PathLike) -> list[Example]:
    examples = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("type") != "feedback":
                continue
            stages = (record.get("complaint") or {}).get("stages") or [{}]
            examples.append(Example(text_of(record.get("summary"), record.get("desired_outcome")),
                                    record.get("theme") or stages[0].get("theme"),
                                    record.get("team") or stages[0].get("team")))
    return examples


def _pairs(examples: list[Example], field: str) -> tuple[list[str], list[str]]:
    kept = [(e.text, getattr(e, field)) for e in examples if getattr(e, field) and e.text.strip()]
    return [t for t, _ in kept], [label for _, label in kept]


def evaluate(train: list[Example], test: list[Example]) -> dict:
    """Train on one list, score the other: the JSON ``insight evaluate`` prints."""
    result: dict = {}
    for field in ("theme", "team"):
        texts, labels = _pairs(train, field)
        test_texts, test_labels = _pairs(test, field)
        if len(set(labels)) < 2:
            result[field] = {"top1": None, "top3": None}
            continue
        result[field] = top_k_accuracy(Classifier(texts, labels), test_texts, test_labels)
    result["train_records"] = len(train)
    result["test_records"] = len(test)
    return result
