"""The record schema: the shipped copy, the date format, and the fast check against jsonschema."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from portal.services.interchange import schema
from tests.interchange.conftest import SHARED, full_records


def test_the_portal_ships_the_shared_schema_unchanged():
    shared = SHARED / "record.schema.json"
    if not shared.exists():
        pytest.skip("../shared is not here (it is in CI)")
    assert schema.SCHEMA_PATH.read_bytes() == shared.read_bytes()


def test_the_installed_jsonschema_refuses_impossible_dates():
    """The contract relies on the "date" format being enforced; fail loudly if it is not."""
    checker = Draft202012Validator.FORMAT_CHECKER
    assert "date" in checker.checkers, "jsonschema checks no 'date' format: impossible dates would pass"
    assert not checker.conforms("2023-02-30", "date")
    assert not checker.conforms("2023-13-01", "date")
    assert checker.conforms("2024-02-29", "date")
    assert not checker.conforms("2023-02-29", "date")
    line = full_records()[7]
    line["complaint"]["stages"][1]["started_on"] = "2023-02-30"
    assert not schema.validator().is_valid(line)
    assert not schema.validator("feedback").is_valid(line)


def test_the_hand_made_file_is_valid_and_uses_every_key_and_value_of_the_schema():
    records = full_records()
    for line in records:
        schema.validator().validate(line)
    seen_keys: set[tuple[str, str]] = set()
    seen_values: set[str] = set()

    def walk(value, where):
        if isinstance(value, dict):
            for key, item in value.items():
                seen_keys.add((where, key))
                walk(item, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, where)
        else:
            seen_values.add(json.dumps(value))

    for line in records:
        walk(line, line["type"])
    defs = schema.schema()["$defs"]
    missing = set()

    def properties(name, node, where):
        for key, sub in node.get("properties", {}).items():
            if (where, key) not in seen_keys:
                missing.add(f"{where}.{key}")
            for value in sub.get("enum", []):
                if value is not None and json.dumps(value) not in seen_values:
                    missing.add(f"{where}.{key} = {value!r}")
            items = sub.get("items", {})
            if "properties" in items:
                properties(key, items, key)
            for value in items.get("enum", []):
                if json.dumps(value) not in seen_values:
                    missing.add(f"{where}.{key}[] = {value!r}")
            if "properties" in sub:
                properties(key, sub, key)

    for name in ("feedback", "contact_restriction", "stage", "element", "ombudsman", "payment", "action"):
        properties(name, defs[name], {"element": "elements", "ombudsman": "ombudsman", "payment": "payments",
                                      "action": "actions", "stage": "stages"}.get(name, name))
    for role in defs["role"]["enum"]:
        if json.dumps(role) not in seen_values:
            missing.add(f"submitter.role = {role!r}")
    for key in ("name", "email", "phone"):
        if ("person", key) not in seen_keys:
            missing.add(f"person.{key}")
    assert not missing, sorted(missing)


# --- The fast check agrees with jsonschema -------------------------------------------

ODD_VALUES = [None, True, False, 0, 1, 2, 3, 4, 1.0, 2.5, -1, "", "x", "ombudsman", "statutory", "corporate",
              "upheld", "open", "progressed", "2023-02-28", "2023-02-30", "2023-2-3", "1300.00", "1300.5", 1300.0,
              [], ["x"], [1], {}, {"x": 1}, {"name": "A"}, {"stage": 1, "started_on": "2023-01-01"}]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


@st.composite
def mutated_records(draw):
    line = copy.deepcopy(draw(st.sampled_from(full_records())))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(line) if p]
        path = draw(st.sampled_from(paths))
        parent = line
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["colour", "kind", "outcome", "stage", "theme"]))] = copy.deepcopy(
                draw(st.sampled_from(ODD_VALUES)))
    return line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_the_fast_check_agrees_with_jsonschema(line):
    whole = schema.validator().is_valid(line)
    if line.get("type") in schema.TYPES:
        assert schema.accepts(line["type"], line) == schema.validator(line["type"]).is_valid(line) == whole
    else:
        assert not whole
    assert (not list(schema.problems(line))) == whole


def test_the_fast_check_follows_json_schema_equality():
    """true is not 1 (an enum of 1, 2, 3 refuses it); 1.0 is 1."""
    line = full_records()[7]
    line["complaint"]["stages"][0]["stage"] = True
    assert not schema.accepts("feedback", line)
    assert not schema.validator("feedback").is_valid(line)
    line["complaint"]["stages"][0]["stage"] = 1.0
    assert schema.accepts("feedback", line) == schema.validator("feedback").is_valid(line)


def test_the_fast_check_refuses_a_keyword_it_does_not_know():
    with pytest.raises(ValueError, match="maxLength"):
        schema._compile({"type": "string", "maxLength": 3}, {})
