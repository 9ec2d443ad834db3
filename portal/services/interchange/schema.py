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
# records. ``accepts`` compiles the schema into Python source, one function per
# definition, that only answers "valid or not", following jsonschema's semantics for the
# keywords the schema uses (an unknown keyword is an error, never silently ignored). Each
# keyword is an expression in the definition's function and an object's properties a
# function of their own, so that checking a line is a few calls, not one for each
# keyword of each value (the closures compiled before took twice the time). jsonschema
# stays the reference: it explains every line the fast check refuses, and a test checks
# that the two agree.

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment"}
Check = Callable[[object], bool]


def accepts(record_type: str, record: object) -> bool:
    return _compiled()[record_type](record)


@cache
def _compiled() -> dict[str, Check]:
    defs = schema()["$defs"]
    source = _Source(defs)
    names = {name: source.definition(name) for name in defs}
    namespace = source.compiled()
    return {name: namespace[function] for name, function in names.items()}


def _compile(node: dict | bool, compiled: object = None) -> Check:
    """The check of one node on its own (its ``$ref``s to the schema's definitions)."""
    source = _Source(schema()["$defs"])
    source.functions.append(f"def _node(x):\n    return {source.expression(node, 'x')}\n")
    return source.compiled()["_node"]


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

_MISSING = object()


class _Source:
    """The Python source of the checks: each a bool expression of a variable, with the
    values it needs (sets of types, patterns, ...) as module-level names."""

    def __init__(self, defs: dict) -> None:
        self.defs = defs
        self.functions: list[str] = []
        self.namespace: dict[str, object] = {"_value_key": _value_key, "_MISSING": _MISSING}
        self.made: dict[int, str] = {}  # a definition's function, made once
        self.objects: dict[int, str] = {}  # an object's properties' function, made once
        self.expanding: list[str] = []  # the definitions being written, for a $ref to itself
        self.formats: dict[str, str] = {}
        self.variables = 0

    def compiled(self) -> dict[str, object]:
        exec(compile("\n".join(self.functions), "<interchange schema>", "exec"), self.namespace)
        return self.namespace

    def definition(self, name: str) -> str:
        """The name of the function checking a definition."""
        key = id(self.defs[name])
        if key not in self.made:
            function = self.made[key] = f"_def{len(self.made)}"
            self.expanding.append(name)
            body = self.expression(self.defs[name], "x")
            self.expanding.pop()
            self.functions.append(f"def {function}(x):\n    return {body}\n")
        return self.made[key]

    def constant(self, value: object) -> str:
        name = f"_k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def variable(self) -> str:
        self.variables += 1
        return f"v{self.variables}"

    def expression(self, node: dict | bool, x: str) -> str:
        """A bool expression: whether the value in ``x`` is valid against ``node``."""
        if node is True:
            return "True"
        if node is False:
            return "False"
        parts: list[str] = []
        for key, value in node.items():
            if key in ANNOTATIONS or key in ("then", "else", "additionalProperties"):
                continue
            if key == "$ref":
                name = value.removeprefix("#/$defs/")
                if name in self.expanding:  # a definition within itself: called, not written in
                    parts.append(f"{self.definition(name)}({x})")
                else:
                    self.expanding.append(name)
                    parts.append(self.expression(self.defs[name], x))
                    self.expanding.pop()
            elif key == "type":
                parts.append(self._type(([value] if isinstance(value, str) else value), x))
            elif key in ("enum", "const"):
                parts.append(self._enum(value if key == "enum" else [value], x))
            elif key == "pattern":
                search = self.constant(re.compile(value).search)
                parts.append(f"(type({x}) is not str or {search}({x}) is not None)")
            elif key == "format":  # one check (and its memo) for each format
                if value not in self.formats:
                    self.formats[value] = self.constant(_format_check(value))
                parts.append(f"{self.formats[value]}({x})")
            elif key == "minimum":
                parts.append(f"(type({x}) not in (int, float) or {x} >= {self.constant(value)})")
            elif key == "minLength":
                parts.append(f"(type({x}) is not str or len({x}) >= {self.constant(value)})")
            elif key == "required":
                parts.append(f"(type({x}) is not dict or {x}.keys() >= {self.constant(frozenset(value))})")
            elif key == "properties":
                parts.append(self._properties(node, value, node.get("additionalProperties", True), x))
            elif key == "items":
                item = self.variable()
                check = self.expression(value, item)
                parts.append(f"(type({x}) is not list or all({check} for {item} in {x}))")
            elif key in ("allOf", "anyOf", "oneOf"):
                branches = [self.expression(part, x) for part in value]
                if key == "allOf":
                    parts.append("(" + " and ".join(branches) + ")" if branches else "True")
                elif key == "anyOf":
                    parts.append("(" + " or ".join(branches) + ")" if branches else "False")
                else:  # exactly one: the branches' bools added up
                    parts.append("(" + " + ".join(branches) + " == 1)" if branches else "False")
            elif key == "if":
                test = self.expression(value, x)
                then = self.expression(node.get("then", True), x)
                otherwise = self.expression(node.get("else", True), x)
                parts.append(f"({then} if {test} else {otherwise})")
            else:
                raise ValueError(f"the fast check does not know the schema keyword {key!r}")
        if "additionalProperties" in node and "properties" not in node:
            parts.append(self._properties(node, {}, node["additionalProperties"], x))
        if not parts:
            return "True"
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def _type(self, names: list[str], x: str) -> str:
        types = frozenset(t for name in names for t in PYTHON_TYPES[name])
        check = f"type({x}) in {self.constant(types)}"
        if "integer" in names and float not in types:
            return f"({check} or (type({x}) is float and {x}.is_integer()))"
        return f"({check})"

    def _enum(self, values: list, x: str) -> str:
        strings = frozenset(v for v in values if type(v) is str)
        others = frozenset(_value_key(v) for v in values if type(v) is not str)
        if not others:
            return f"(type({x}) is str and {x} in {self.constant(strings)})"
        return f"({x} in {self.constant(strings)} if type({x}) is str else _value_key({x}) in {self.constant(others)})"

    def _properties(self, node: dict, properties: dict, additional: dict | bool, x: str) -> str:
        """A call of the function checking an object's properties (made once per node)."""
        key = id(node)
        if key not in self.objects:
            function = self.objects[key] = f"_object{len(self.objects)}"
            known = self.constant(frozenset(properties))
            lines = [f"def {function}(x):", "    if type(x) is not dict:", "        return True"]
            if additional is False:
                lines += [f"    if not x.keys() <= {known}:", "        return False"]
            elif additional is not True:
                other = self.expression(additional, "v")
                lines += ["    for k, v in x.items():", f"        if k not in {known} and not {other}:",
                          "            return False"]
            for name, sub in properties.items():
                check = self.expression(sub, "v")
                if check != "True":
                    lines += [f"    v = x.get({name!r}, _MISSING)", f"    if v is not _MISSING and not {check}:",
                              "        return False"]
            lines.append("    return True\n")
            self.functions.append("\n".join(lines))
        return f"{self.objects[key]}({x})"


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


