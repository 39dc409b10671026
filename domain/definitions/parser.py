"""YAML source → a validated ``Definition``, outside any workflow.

Stages, each collecting every problem it finds before it stops: size, safe YAML (with node and depth limits,
so alias bombs and deep nesting are refused), the JSON Schema of the format (``definitions/schema.json``),
the pydantic model, and the semantic checks of ``validate``. Every problem carries the JSON pointer of the
field and the line and column in the source.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args

from jsonschema.exceptions import ValidationError as SchemaViolation
from pydantic import BaseModel, ValidationError

from domain.definitions import expressions as expression_language
from domain.definitions.errors import DefinitionInvalid
from domain.definitions.format_schema import FormatSchema
from domain.definitions.model import Definition, Step
from domain.definitions.validate import KnownDefinitions, semantic_errors
from domain.definitions.yaml_source import (
    Locator,
    Parsed,
    Part,
    PathParts,
    Problem,
    SourceLimits,
    decode,
    load,
    pointer,
    raise_if_any,
)
from domain.processes.schemas import CODE_WORKFLOWS

MAX_BYTES = 1_048_576
MAX_NODES = 20_000  # YAML nodes after expanding aliases
MAX_DEPTH = 64  # nesting of YAML collections
DEFINITION_LIMITS = SourceLimits("definition", "name, version, steps…", MAX_BYTES, MAX_NODES, MAX_DEPTH)
# What validation costs grows with these: each step is checked against the format's fourteen step types
# (milliseconds each), each expression is parsed. Limits far above any real process keep a publish
# request to well under a second.
MAX_STEPS = 300  # steps, nested ones included
MAX_EXPRESSIONS = 500  # strings holding {{ … }} or {% … %}
MAX_EXPRESSION_LENGTH = 4_000  # characters of one such string
MAX_EXPRESSION_CHARS = 40_000  # characters of them all
MAX_STATEMENT_CHARS = 10_000  # characters of those holding {% … %}: they are compiled to be checked
MAX_EXPRESSION_NESTING = 24  # levels of its syntax tree (brackets, operators, filters, blocks)
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "definitions" / "schema.json"
SCHEMA = FormatSchema(Definition, SCHEMA_PATH)
schema_document = SCHEMA.document
schema_text = SCHEMA.text  # definitions/schema.json as it must be written

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ParsedDefinition(Parsed):
    definition: Definition
    canonical: str  # the document as canonical JSON: what is hashed and compared


def parse(
    source: str | bytes,
    *,
    known_activities: Collection[str],
    known_definitions: KnownDefinitions | None = None,
    known_workflows: Collection[str] = tuple(CODE_WORKFLOWS),
) -> ParsedDefinition:
    """The definition in ``source``, or DefinitionInvalid listing every problem with its line and column."""
    text = decode(source, DEFINITION_LIMITS)
    root, data = load(text, DEFINITION_LIMITS)
    locate = Locator(root)
    raise_if_any(locate.problems(_cost_problems(data)))
    raise_if_any(locate.problems(_schema_problems(data)))
    definition = validated(Definition, data, locate)
    semantic = semantic_errors(
        definition,
        data,
        known_activities=known_activities,
        known_definitions=known_definitions,
        known_workflows=known_workflows,
    )
    raise_if_any(locate.problems(Problem(_parts(field), message) for field, message in semantic))
    canonical = canonical_json(data)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return ParsedDefinition(source=text, sha256=digest, data=data, definition=definition, canonical=canonical)


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _step_types() -> tuple[str, ...]:
    union = get_args(Step)[0]
    return tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in get_args(union))


STEP_TYPES = _step_types()


def _parts(field: str) -> PathParts:
    """The path of a JSON pointer."""
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in field.split("/")[1:])


# -- what validating and running it may cost -------------------------------------------------------


def _cost_problems(data: dict[str, Any]) -> list[Problem]:
    """Steps and expressions within their limits, checked on the plain document before anything costly:
    counts and sizes first, then each expression's nesting (which parses it)."""
    steps = 0
    found: list[tuple[str, PathParts]] = []
    stack: list[tuple[Any, PathParts]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            if value.get("type") in STEP_TYPES and "id" in value:
                steps += 1
            stack += [(item, (*path, str(key))) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(item, (*path, index)) for index, item in enumerate(value)]
        elif isinstance(value, str) and ("{{" in value or "{%" in value):
            found.append((value, path))
    problems: list[Problem] = []
    if steps > MAX_STEPS:
        problems.append(Problem(("steps",), f"too many steps: {steps}; the limit is {MAX_STEPS}"))
    chars = sum(len(source) for source, _ in found)
    statements = sum(len(source) for source, _ in found if "{%" in source)
    if len(found) > MAX_EXPRESSIONS:
        problems.append(Problem((), f"too many expressions: {len(found)}; the limit is {MAX_EXPRESSIONS}"))
    elif chars > MAX_EXPRESSION_CHARS:
        message = f"expressions too long: {chars} characters in all; the limit is {MAX_EXPRESSION_CHARS}"
        problems.append(Problem((), message))
    elif statements > MAX_STATEMENT_CHARS:
        message = (
            f"templates with {{% … %}} too long: {statements} characters in all; "
            f"the limit is {MAX_STATEMENT_CHARS}"
        )
        problems.append(Problem((), message))
    if problems:
        return problems
    for source, path in sorted(found, key=lambda f: pointer(f[1])):
        problems += _expression_cost(source, path)
    return problems[:20]


def _expression_cost(source: str, path: PathParts) -> list[Problem]:
    if len(source) > MAX_EXPRESSION_LENGTH:
        message = f"an expression of {len(source)} characters; the limit is {MAX_EXPRESSION_LENGTH}"
        return [Problem(path, message)]
    depth = deepest = 0
    for char in source:  # first by brackets: the parser recurses on them
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    # The {{ }} and {% %} delimiters count twice; the limit is on what is inside them.
    if deepest - 2 > MAX_EXPRESSION_NESTING or expression_language.nesting(source) > MAX_EXPRESSION_NESTING:
        return [Problem(path, f"an expression nested more than {MAX_EXPRESSION_NESTING} levels deep")]
    return []


# -- the JSON Schema of the format ------------------------------------------------------------------


def _schema_problems(data: dict[str, Any]) -> list[Problem]:
    problems, handled = _step_type_problems(data)
    for error in SCHEMA.validator.iter_errors(data):
        for leaf in explain(error):
            path = tuple(leaf.absolute_path)
            if not any(path[: len(h)] == h for h in handled):
                problems += describe(leaf, path)
    return problems


def _step_type_problems(data: dict[str, Any]) -> tuple[list[Problem], list[PathParts]]:
    """One clear message per step whose type is missing or unknown — the schema would answer with a
    failure for every one of the thirteen step types. Returns the problems and the steps they cover."""
    problems: list[Problem] = []
    handled: list[PathParts] = []
    for path, step in _raw_steps(data.get("steps"), ("steps",)):
        kind = step.get("type") if isinstance(step, dict) else None
        if kind in STEP_TYPES:
            continue
        handled.append(path)
        known = ", ".join(STEP_TYPES)
        if not isinstance(step, dict):
            problems.append(Problem(path, f"a step is a mapping with a 'type' ({known})"))
        elif kind is None:
            problems.append(Problem((*path, "type"), f"the step has no 'type'; known: {known}"))
        else:
            close = difflib.get_close_matches(str(kind), STEP_TYPES, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem((*path, "type"), f"unknown step type '{kind}'; {hint}known: {known}"))
    return problems, handled


def _raw_steps(steps: Any, path: PathParts) -> Iterator[tuple[PathParts, Any]]:
    """Every step of the plain document with its path, following the nested step lists of known types."""
    if not isinstance(steps, list):
        return
    for index, step in enumerate(steps):
        here = (*path, index)
        yield here, step
        if isinstance(step, dict):
            for key, children in _raw_children(step):
                yield from _raw_steps(children, (*here, *key))


# Where each step type nests steps: lists of steps, and lists of items that hold `steps`.
_NESTED_STEPS = {"switch": ("default",), "foreach": ("steps",), "try": ("steps",), "wait": ("on_timeout",)}
_NESTED_ITEMS = {"switch": ("cases",), "parallel": ("branches",), "try": ("catch",)}


def _raw_children(step: dict[str, Any]) -> Iterator[tuple[PathParts, Any]]:
    kind = str(step.get("type"))
    for key in _NESTED_STEPS.get(kind, ()):
        yield (key,), step.get(key)
    for key in _NESTED_ITEMS.get(kind, ()):
        items = step.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield (key, index, "steps"), item.get("steps")
    timeout = step.get("on_timeout")
    if kind == "task" and isinstance(timeout, dict):
        yield ("on_timeout", "steps"), timeout.get("steps")


def explain(error: SchemaViolation) -> list[SchemaViolation]:
    """The errors that matter inside a oneOf/anyOf: those of the alternative that was meant — the one that
    matched at the top (e.g. the step type whose ``type`` matched) — or the union error itself."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return [error]
    groups: dict[Part, list[SchemaViolation]] = defaultdict(list)
    for sub in error.context:
        groups[sub.relative_schema_path[0]].append(sub)
    meant = [group for group in groups.values() if not any(map(_rejects_outright, group))]
    if len(meant) == 1:
        return [leaf for sub in meant[0] for leaf in explain(sub)]
    return [error]


def _rejects_outright(error: SchemaViolation) -> bool:
    """An alternative that fails on the value's kind, or on the step type, was not the one meant."""
    at_top = not error.relative_path and error.validator in ("type", "enum", "const")
    return at_top or (error.validator == "const" and list(error.relative_path) == ["type"])


_KINDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def describe(error: SchemaViolation, path: PathParts) -> list[Problem]:
    validator, expected, instance = error.validator, error.validator_value, error.instance
    if validator == "required":
        return [Problem((*path, key), f"'{key}' is required") for key in expected if key not in instance]
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return [_unknown_field(key, (*path, key), allowed) for key in instance if key not in allowed]
    messages: dict[str, Callable[[], str]] = {
        "type": lambda: _wrong_type(expected, instance),
        "enum": lambda: f"expected one of {', '.join(map(repr, expected))}, got {_short(instance)}",
        "const": lambda: f"expected {expected!r}, got {_short(instance)}",
        "pattern": lambda: f"{_short(instance)} does not match {expected}",
        "minItems": lambda: f"needs at least {expected} item{'s' if expected != 1 else ''}",
        "minLength": lambda: f"needs at least {expected} characters",
        "maxLength": lambda: f"may have at most {expected} characters",
        "minimum": lambda: f"must be at least {expected}",
        "maximum": lambda: f"must be at most {expected}",
        "oneOf": lambda: _alternatives(error),
        "anyOf": lambda: _alternatives(error),
    }
    return [Problem(path, messages.get(str(validator), lambda: _truncate(error.message))())]


def _wrong_type(expected: str | list[str], instance: Any) -> str:
    message = f"expected {_kind(expected)}, got {_kind_of(instance)}"
    if isinstance(instance, bool) and "string" in expected:
        message += "; quote it to keep it text (YAML reads yes, no, on, off, true, false as booleans)"
    return message


def _unknown_field(key: str, path: PathParts, allowed: Sequence[str]) -> Problem:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
    return Problem(path, f"unknown field '{key}'{hint}", at_key=True)


def _alternatives(error: SchemaViolation) -> str:
    wanted: list[str] = []
    for sub in error.context or []:
        if sub.validator == "enum":
            wanted.append("one of " + ", ".join(map(repr, sub.validator_value)))
        elif sub.validator == "type" and not sub.relative_path:
            wanted.append(_kind(sub.validator_value))
    unique = list(dict.fromkeys(wanted))
    if not unique:
        return _truncate(error.message)
    return f"expected {' or '.join(unique)}, got {_kind_of(error.instance)}"


def _kind(types: str | list[str]) -> str:
    return " or ".join(_KINDS.get(t, t) for t in ([types] if isinstance(types, str) else types))


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    kind = {str: "a string", int: "an integer", float: "a number"}.get(type(value), type(value).__name__)
    return f"{kind} ({_short(value)})"


def _short(value: Any, limit: int = 60) -> str:
    return _truncate(json.dumps(value, ensure_ascii=False), limit)


def _truncate(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the model --------------------------------------------------------------------------------------


def validated(model: type[M], data: dict[str, Any], locate: Locator) -> M:
    """``data`` as ``model``, or DefinitionInvalid with each problem where it is in the source."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(loc_path(data, err["loc"]), err["msg"].removeprefix("Value error, "))
            for err in exc.errors()
        ]
        raise DefinitionInvalid(locate.problems(problems)) from None


def loc_path(data: Any, loc: Sequence[Part]) -> PathParts:
    """A pydantic location as a document path, without the union tags pydantic inserts (``activity``,
    ``list[str]``…)."""
    path: list[Part] = []
    for part in loc:
        in_mapping = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_mapping or in_list:
            data = data[part]
            path.append(part)
    return tuple(path)
