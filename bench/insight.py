"""Insight speed (issue 22, "Speed"): one record's suggestions, similar cases among many
records, and training. Not a test: run it and copy the figures to docs/performance.md.

    .venv/bin/python -m bench.insight [--records 1000000] [--train 200000]

Texts are made from the insight test records' sentences (tests/insight/make_records.py),
with a number in each so no two are the same. The similar-cases figure is the index's
look-up (the database then reads the hundred candidates by primary key).
"""

from __future__ import annotations

import argparse
import random
import resource
import time

import numpy as np

from portal.services.insight.index import SimilarIndex
from portal.services.insight.model import Classifier, Features
from tests.insight.make_records import THEMES, TEAMS, _mistyped


def texts(count: int, seed: int = 1) -> tuple[list[str], list[str], list[str]]:
    rng = random.Random(seed)
    names = list(THEMES)
    out, labels, teams = [], [], []
    for i in range(count):
        theme = rng.choice(names)
        team = rng.choice(list(TEAMS))
        out.append(_mistyped(" ".join(rng.sample(THEMES[theme], 2)) + f" {rng.choice(TEAMS[team])} ref{i}", rng))
        labels.append(theme)
        teams.append(team)
    return out, labels, teams


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--train", type=int, default=200_000)
    args = parser.parse_args()

    # The baseline: a fixed piece of numerical work, so a busy machine shows as a slow baseline.
    started = time.perf_counter()
    np.sort(np.random.default_rng(0).random(2_000_000))
    print(f"baseline (sorting 2,000,000 numbers): {(time.perf_counter() - started) * 1000:.0f} ms")

    train, labels, teams = texts(args.train)
    started = time.perf_counter()
    features = Features(train)  # as the nightly training does: once, for theme and team
    model = Classifier(train, labels, features, features.matrix)
    Classifier(train, teams, features, features.matrix)
    features.matrix = None
    print(f"training theme and team on {args.train:,} records: {time.perf_counter() - started:.1f} s, "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    query = "the taxi to school was late again and the escort did not have a booster seat"
    model.suggest(query)
    started = time.perf_counter()
    for _ in range(50):
        model.suggest(query)
    print(f"suggestions for one record: {(time.perf_counter() - started) / 50 * 1000:.1f} ms")

    many, _, _ = texts(args.records, seed=2)
    started = time.perf_counter()
    index = SimilarIndex(list(range(len(many))), many)
    print(f"similar-cases index of {args.records:,} records: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for _ in range(20):
        index.nearest(query)
    print(f"similar cases among {args.records:,} records: {(time.perf_counter() - started) / 20 * 1000:.1f} ms")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
