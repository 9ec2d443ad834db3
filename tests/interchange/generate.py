"""A generated file of the interchange format, as large as asked, for streaming and speed.

    .venv/bin/python -m tests.interchange.generate 100000 > /tmp/feedback.jsonl

Deterministic: the same count gives the same file. Records are in reference order, with a
realistic mix: compliments, initial contacts (some progressed to a complaint), statutory
and corporate complaints with stages and elements, now and then an Ombudsman enquiry, a
payment and a learning action; people recur, as they do; a few contact restrictions close
the file.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date, timedelta

TEAMS = ["SEND Team", "Assessment Teams", "Fostering Team", "Permanence Teams", "Next Steps Team"]
THEMES = ["Case management", "Communication", "Delay", "Finance", "Social worker conduct"]
ROLES = ["parent_or_carer", "child_or_young_person", "foster_carer", "care_leaver", "professional"]
CHANNELS = ["web", "email", "phone", "letter"]
START = date(2023, 4, 3)


def _day(n: int) -> str:
    return (START + timedelta(days=n)).isoformat()


def _submitter(i: int) -> dict:
    person = i % 3000  # people recur across records
    submitter = {"role": ROLES[i % len(ROLES)], "name": f"Person {person}"}
    if person % 2 == 0:
        submitter["email"] = f"person{person}@example.org"
    else:
        submitter["phone"] = f"07700 9{person:05d}"
    return submitter


def _stage(number: int, start: int) -> dict:
    return {
        "stage": number, "started_on": _day(start), "team": TEAMS[number % len(TEAMS)],
        "theme": THEMES[number % len(THEMES)], "officer": "A. Officer", "responded_on": _day(start + 14),
        "elements": [
            {"number": 1, "summary": "The first point the complainant raised.", "theme": "Delay", "outcome": "upheld"},
            {"number": 2, "summary": "The second point the complainant raised.", "outcome": "not_upheld"},
        ],
    }


def record(i: int, rich: bool = True) -> dict:
    """Record ``i``: the realistic mix, or (``rich=False``) a bare compliment, quick to load."""
    day = i % 700
    if not rich:
        return {"type": "feedback", "reference": f"CF-GEN-{i:07d}", "kind": "compliment", "received_on": _day(day),
                "channel": "web", "submitter": {"role": "other"}, "summary": "Thank you.", "compliment": {}}
    line = {
        "type": "feedback", "reference": f"CF-GEN-{i:07d}", "received_on": _day(day),
        "channel": CHANNELS[i % len(CHANNELS)], "submitter": _submitter(i), "team": TEAMS[i % len(TEAMS)],
        "theme": THEMES[i % len(THEMES)],
        "summary": "What the person told us, in a sentence or two, as they said it. " * 2,
    }
    kind = i % 10
    if kind < 3:
        line["kind"] = "compliment"
        line["compliment"] = {"named_staff": ["A. Worker"], "shared_on": _day(day + 2)}
    elif kind < 7:
        line["kind"] = "initial_contact"
        progressed = kind == 6
        line["initial_contact"] = {"category": "concern", "outcome": "progressed" if progressed else "resolved",
                                   "outcome_on": _day(day + 3)}
        if progressed:
            line["complaint"] = {"procedure": "corporate", "stages": [_stage(1, day + 3)]}
    else:
        line["kind"] = "complaint"
        line["complaint"] = {"procedure": "statutory", "stages": [_stage(1, day), _stage(2, day + 30)]}
        if kind == 9:
            line["ombudsman"] = [{"reference": f"{i:08d}", "notified_on": _day(day + 90), "status": "decided",
                                  "decision": "upheld", "remedy_amount": "300.00",
                                  "recommendations": [{"text": "Apologise.", "compliance": "on_time"}]}]
            line["payments"] = [{"kind": "financial_remedy", "amount": "300.00", "paid_on": _day(day + 100)}]
            line["actions"] = [{"recommendation": "Share the learning.", "stage": "ombudsman",
                                "raised_on": _day(day + 95), "status": "open"}]
    return line


def restriction(i: int) -> dict:
    return {"type": "contact_restriction", "person": {"name": f"Person {i}", "email": f"person{i}@example.org"},
            "letter_issued_on": _day(i % 700), "restrictions": ["single_point_of_contact"]}


def lines(count: int, rich: bool = True) -> Iterator[str]:
    for i in range(count):
        yield json.dumps(record(i, rich), separators=(",", ":")) + "\n"
    for i in range(0, min(count, 3000), 100):
        yield json.dumps(restriction(i), separators=(",", ":")) + "\n"


def write(path, count: int, rich: bool = True) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        file.writelines(lines(count, rich))


if __name__ == "__main__":
    sys.stdout.writelines(lines(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
