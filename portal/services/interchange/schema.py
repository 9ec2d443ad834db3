"""The structure of one line of the interchange format: ``record.schema.json``.

The schema is a contract kept in ``../shared/interchange`` (FORMAT.md); the portal ships an
identical copy in ``portal/data`` because a running portal cannot rely on ``../shared``
(a test checks the copy against the original when it is there).

Lines are checked with Draft 2020-12 and a format checker, so an impossible date such as
2023-02-30 is refused, not only a badly shaped one. A line is checked against the
definition its ``"type"`` names, which gives far clearer messages than the top-level
``oneOf`` ("... is not valid under any of the given schemas").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "data" / "record.schema.json"
TYPES = ("feedback", "contact_restriction")


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def format_checker() -> FormatChecker:
    return Draft202012Validator.FORMAT_CHECKER


@cache
def validator(record_type: str | None = None) -> Draft202012Validator:
    """The validator for a whole line, or for the definition of one ``"type"``."""
    whole = schema()
    if record_type is None:
        return Draft202012Validator(whole, format_checker=format_checker())
    part = {"$ref": f"#/$defs/{record_type}", "$defs": whole["$defs"]}
    return Draft202012Validator(part, format_checker=format_checker())


def field_path(path) -> str:
    """``["complaint", "stages", 1, "started_on"]`` as ``complaint.stages[1].started_on``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def problems(record: object) -> Iterator[tuple[str, str]]:
    """Every structural problem of one parsed line, as (field path, message)."""
    if not isinstance(record, dict):
        yield "", "a line must be a JSON object"
        return
    record_type = record.get("type")
    if "type" not in record:
        yield "type", "is required: 'feedback' or 'contact_restriction'"
        return
    if record_type not in TYPES:
        yield "type", f"must be 'feedback' or 'contact_restriction', not {record_type!r}"
        return
    if accepts(record_type, record):
        return
    errors = sorted(validator(record_type).iter_errors(record), key=_path_order)
    for error in errors:
        yield from _explain(error)


# --- A fast check, compiled from the same schema -------------------------------------
#
# jsonschema checks about a thousand lines a second, too slow for files of a million
# records. ``accepts`` compiles the schema into plain Python closures that only answer
# "valid or not", following jsonschema's semantics for the keywords the schema uses (an
# unknown keyword is an error, never silently ignored). jsonschema stays the reference:
# it explains every line the fast check refuses, and a test checks that the two agree.

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment"}
Check = Callable[[object], bool]


def accepts(record_type: str, record: object) -> bool:
    return _compiled()[record_type](record)


@cache
def _compiled() -> dict[str, Check]:
    defs = schema()["$defs"]
    compiled: dict[str, Check] = {}
    for name, node in defs.items():
        compiled[name] = _compile(node, compiled)
    return compiled


def _value_key(value: object) -> tuple:
    """Equality as JSON Schema means it: true is not 1, 1.0 is 1."""
    if isinstance(value, bool):
        return ("boolean", value)
    if isinstance(value, (int, float)):
        return ("number", value)
    if isinstance(value, (list, dict)):
        return ("json", json.dumps(value, sort_keys=True))
    return (type(value).__name__, value)


# What json.loads gives for each JSON type ("integer" also takes a float like 1.0).
PYTHON_TYPES = {"string": (str,), "null": (type(None),), "boolean": (bool,), "integer": (int,),
                "number": (int, float), "object": (dict,), "array": (list,)}


def _type_check(names: list[str]) -> Check:
    types = frozenset(t for name in names for t in PYTHON_TYPES[name])
    if "integer" in names and float not in types:
        return lambda x: type(x) in types or (type(x) is float and x.is_integer())
    return lambda x: type(x) in types


def _enum_check(values: list) -> Check:
    strings = frozenset(v for v in values if type(v) is str)
    others = frozenset(_value_key(v) for v in values if type(v) is not str)
    return lambda x: x in strings if type(x) is str else _value_key(x) in others


def _compile(node: dict | bool, compiled: dict[str, Check]) -> Check:
    if node is True:
        return lambda x: True
    if node is False:
        return lambda x: False
    checks: list[Check] = []
    for key, value in node.items():
        if key in ANNOTATIONS or key in ("then", "else", "additionalProperties"):
            continue
        if key == "$ref":
            name = value.removeprefix("#/$defs/")
            checks.append(lambda x, name=name: compiled[name](x))
        elif key == "type":
            checks.append(_type_check([value] if isinstance(value, str) else value))
        elif key in ("enum", "const"):
            checks.append(_enum_check(value if key == "enum" else [value]))
        elif key == "pattern":
            search = re.compile(value).search
            checks.append(lambda x, search=search: type(x) is not str or search(x) is not None)
        elif key == "format":
            checks.append(_format_check(value))
        elif key == "minimum":
            checks.append(lambda x, low=value: type(x) not in (int, float) or x >= low)
        elif key == "minLength":
            checks.append(lambda x, low=value: type(x) is not str or len(x) >= low)
        elif key == "required":
            checks.append(lambda x, keys=tuple(value): type(x) is not dict or all(k in x for k in keys))
        elif key == "properties":
            checks.append(_properties(value, node.get("additionalProperties", True), compiled))
        elif key == "items":
            item = _compile(value, compiled)
            checks.append(lambda x, item=item: type(x) is not list or all(item(i) for i in x))
        elif key in ("allOf", "anyOf", "oneOf"):
            parts = [_compile(part, compiled) for part in value]
            if key == "allOf":
                checks.append(lambda x, parts=parts: all(p(x) for p in parts))
            elif key == "anyOf":
                checks.append(lambda x, parts=parts: any(p(x) for p in parts))
            else:
                checks.append(lambda x, parts=parts: _exactly_one(parts, x))
        elif key == "if":
            test = _compile(value, compiled)
            then = _compile(node.get("then", True), compiled)
            otherwise = _compile(node.get("else", True), compiled)
            checks.append(lambda x, test=test, then=then, otherwise=otherwise: then(x) if test(x) else otherwise(x))
        else:
            raise ValueError(f"the fast check does not know the schema keyword {key!r}")
    if "additionalProperties" in node and "properties" not in node:
        checks.append(_properties({}, node["additionalProperties"], compiled))
    if len(checks) == 1:
        return checks[0]

    def every(x: object) -> bool:
        for check in checks:
            if not check(x):
                return False
        return True

    return every


def _format_check(fmt: str) -> Check:
    """The format checked once per distinct value: a file holds a few thousand dates, each
    on many lines. The values remembered are bounded; past that, each is checked afresh."""
    conforms = format_checker().conforms
    seen: dict[str, bool] = {}

    def check(x: object) -> bool:
        if type(x) is not str:
            return True
        known = seen.get(x)
        if known is None:
            known = conforms(x, fmt)
            if len(seen) < 50_000:
                seen[x] = known
        return known

    return check


def _exactly_one(parts: list[Check], x: object) -> bool:
    found = False
    for part in parts:
        if part(x):
            if found:
                return False
            found = True
    return found


def _properties(properties: dict, additional: dict | bool, compiled: dict[str, Check]) -> Check:
    known = {name: _compile(sub, compiled) for name, sub in properties.items()}
    other = _compile(additional, compiled)

    def check(x: object) -> bool:
        if type(x) is not dict:
            return True
        for key, value in x.items():
            sub = known.get(key)
            if not (sub(value) if sub is not None else other(value)):
                return False
        return True

    return check


def _explain(error: ValidationError) -> Iterator[tuple[str, str]]:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        for key in sorted(k for k in error.instance if k not in known):
            yield field_path([*path, key]), "unknown key"
        return
    if error.validator == "required":
        missing = error.message.split("'")[1] if error.message.count("'") >= 2 else error.message
        yield field_path([*path, missing]), "is required"
        return
    if error.validator in ("oneOf", "anyOf") and error.context:
        if all(e.validator == "required" for e in error.context):
            names = " or ".join(sorted({repr(e.validator_value[0]) for e in error.context}))
            yield field_path(path), f"give {names}"
            return
        # An optional value (``odate``, ``ostr``): explain the branch it was meant for.
        meant = [e for e in error.context if not (e.validator == "type" and e.validator_value == "null")]
        if meant:
            yield from _explain(best_match(meant))
            return
    yield field_path(path), error.message


def _path_order(error: ValidationError) -> list[tuple[int, object]]:
    return [(0, p) if isinstance(p, int) else (1, p) for p in error.absolute_path]


