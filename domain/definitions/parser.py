"""YAML source → a validated ``Definition``, outside any workflow.

Stages, each collecting every problem it finds before it stops: size, safe YAML (with node and depth limits,
so alias bombs and deep nesting are refused), the JSON Schema of the format (``definitions/schema.json``),
the pydantic model, and the semantic checks of ``validate``. Every problem carries the JSON pointer of the
field and the line and column in the source.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, get_args

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaViolation
from pydantic import BaseModel, ValidationError

try:  # libyaml: several times faster, and it caps nesting at 1000 levels itself
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from domain.definitions import expressions as expression_language
from domain.definitions.errors import DefinitionInvalid, LocatedFieldError
from domain.definitions.model import Definition, Step
from domain.definitions.validate import KnownDefinitions, semantic_errors
from domain.processes.schemas import CODE_WORKFLOWS

MAX_BYTES = 1_048_576
MAX_NODES = 20_000  # YAML nodes after expanding aliases
MAX_DEPTH = 64  # nesting of YAML collections
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
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Part = str | int
M = TypeVar("M", bound=BaseModel)
PathParts = tuple[Part, ...]


@dataclass(frozen=True)
class ParsedDefinition:
    definition: Definition
    source: str
    canonical: str  # the document as canonical JSON: what is hashed and compared
    sha256: str
    data: dict[str, Any]


def parse(
    source: str | bytes,
    *,
    known_activities: Collection[str],
    known_definitions: KnownDefinitions | None = None,
    known_workflows: Collection[str] = tuple(CODE_WORKFLOWS),
) -> ParsedDefinition:
    """The definition in ``source``, or DefinitionInvalid listing every problem with its line and column."""
    text = decode(source)
    root, data = load(text)
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
    raise_if_any(locate.problems(Problem(_parts(pointer), message) for pointer, message in semantic))
    canonical = canonical_json(data)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return ParsedDefinition(definition, text, canonical, digest, data)


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def schema_document() -> dict[str, Any]:
    """The JSON Schema of the definition format, as the model defines it."""
    return {"$schema": JSON_SCHEMA_DIALECT, **Definition.model_json_schema(by_alias=True)}


def schema_text() -> str:
    """``definitions/schema.json`` as it must be written."""
    return json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"


def _step_types() -> tuple[str, ...]:
    union = get_args(Step)[0]
    return tuple(get_args(cls.model_fields["type"].annotation)[0] for cls in get_args(union))


STEP_TYPES = _step_types()


@functools.cache
def _validator() -> Draft202012Validator:
    # An installed package has no definitions/ folder next to it; the model gives the same schema.
    schema = json.loads(SCHEMA_PATH.read_text("utf-8")) if SCHEMA_PATH.is_file() else schema_document()
    return Draft202012Validator(schema)


# -- problems and where they are --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    path: PathParts
    message: str
    at_key: bool = False  # point at the key (an unknown or duplicate field) rather than its value


def _pointer(path: Iterable[Part]) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _parts(pointer: str) -> PathParts:
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:])


def _error(message: str, mark: yaml.Mark | None = None, field: str = "") -> LocatedFieldError:
    if mark is None:
        return LocatedFieldError(field, message)
    return LocatedFieldError(field, message, mark.line + 1, mark.column + 1)


def raise_if_any(errors: Sequence[LocatedFieldError]) -> None:
    if errors:
        raise DefinitionInvalid(errors)


class Locator:
    """Maps a path in the parsed document to the YAML node it came from."""

    def __init__(self, root: yaml.Node) -> None:
        self.root = root

    def problems(self, problems: Iterable[Problem]) -> list[LocatedFieldError]:
        return [_error(p.message, self.mark(p.path, p.at_key), _pointer(p.path)) for p in problems]

    def mark(self, path: PathParts, at_key: bool = False) -> yaml.Mark:
        """Where ``path`` starts, or the deepest existing node on the way (a missing field: its parent)."""
        node = self.root
        for index, part in enumerate(path):
            pair = self._child(node, part)
            if pair is None:
                break
            key, node = pair
            if at_key and index == len(path) - 1 and key is not None:
                return key.start_mark
        return node.start_mark

    @staticmethod
    def _child(node: yaml.Node, part: Part) -> tuple[yaml.Node | None, yaml.Node] | None:
        if isinstance(node, yaml.MappingNode):
            # The last occurrence wins, as when the mapping was constructed (merge keys come first).
            for key, value in reversed(node.value):
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    return key, value
        elif isinstance(node, yaml.SequenceNode) and str(part).isdigit() and int(part) < len(node.value):
            return None, node.value[int(part)]
        return None


# -- size, encoding and YAML ------------------------------------------------------------------------


def decode(source: str | bytes) -> str:
    raw = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    if len(raw) > MAX_BYTES:
        message = f"the definition is {len(raw)} bytes; the limit is {MAX_BYTES}"
        raise DefinitionInvalid([LocatedFieldError("", message, 1, 1)])
    if isinstance(source, str):
        return source.removeprefix("\ufeff")
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = source[: exc.start].decode("utf-8", "replace")
        line, column = _position(before, len(before))
        message = f"not UTF-8: byte 0x{source[exc.start]:02x} is invalid here"
        raise DefinitionInvalid([LocatedFieldError("", message, line, column)]) from None


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Loader(_SafeLoader):
    """Safe YAML whose unquoted dates stay strings: the format is JSON data, and an instant is text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> tuple[yaml.Node, dict[str, Any]]:
    try:
        root, data = _read_yaml(text)
    except yaml.YAMLError as exc:
        raise DefinitionInvalid([_yaml_problem(exc, text)]) from None
    except RecursionError:
        raise DefinitionInvalid([LocatedFieldError("", "invalid YAML: nested too deeply", 1, 1)]) from None
    if not isinstance(data, dict):
        raise DefinitionInvalid(
            [_error("the definition must be a mapping (name, version, steps…)", root.start_mark)]
        )
    raise_if_any(Locator(root).problems(_plain_data_problems(data, ())))
    return root, data


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)


def _count_nodes(text: str) -> None:
    """Stops at the first node over the limit while reading events: building a node tree of a 1 MB list
    takes seconds, reading its first 20,000 events milliseconds."""
    loader = _Loader(text)
    try:
        count = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > MAX_NODES:
                    message = f"too large: more than {MAX_NODES} YAML nodes (aliases count each use)"
                    mark = event.start_mark  # the C reader's mark has the same line and column
                    at = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
                    raise DefinitionInvalid([LocatedFieldError("", message, *at)])
    finally:
        loader.dispose()


def _read_yaml(text: str) -> tuple[yaml.Node, Any]:
    _count_nodes(text)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise DefinitionInvalid([LocatedFieldError("", "the definition is empty", 1, 1)])
        raise_if_any(_node_problems(root))
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError, text: str) -> LocatedFieldError:
    if isinstance(exc, yaml.MarkedYAMLError):
        context = exc.context or ""
        start, at = exc.context_mark, exc.problem_mark
        if context and start and at and (start.line, start.column) != (at.line, at.column):
            context += f" (from line {start.line + 1}, column {start.column + 1})"
        problem = ": ".join(part for part in (context, exc.problem) if part) or "cannot be read"
        return _error(f"invalid YAML: {problem}", exc.problem_mark or exc.context_mark)
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _position(text, exc.position)
        return LocatedFieldError("", f"invalid YAML: {exc.reason} (#x{exc.character:04x})", line, column)
    return LocatedFieldError("", f"invalid YAML: {exc}", 1, 1)


def _node_problems(root: yaml.Node) -> list[LocatedFieldError]:
    """Size and shape limits before anything is built: aliases are counted each time they are used."""
    count = 0
    checked: set[int] = set()
    problems: list[LocatedFieldError] = []
    stack: list[tuple[yaml.Node, PathParts]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            message = f"too large: more than {MAX_NODES} YAML nodes (aliases count each use)"
            return [_error(message, root.start_mark)]
        if len(path) > MAX_DEPTH:
            return [_error(f"nested more than {MAX_DEPTH} levels deep", node.start_mark, _pointer(path))]
        if isinstance(node, yaml.MappingNode):
            if id(node) not in checked:
                checked.add(id(node))
                problems += _key_problems(node, path)
            for key, value in reversed(node.value):
                stack += [(value, (*path, str(key.value))), (key, path)]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, (*path, index)) for index, child in reversed(list(enumerate(node.value)))]
    return problems


def _key_problems(node: yaml.MappingNode, path: PathParts) -> list[LocatedFieldError]:
    seen: set[str] = set()
    problems = []
    for key, _ in node.value:
        if key.tag == "tag:yaml.org,2002:merge":
            continue
        if not (isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:str"):
            problems.append(_error("a key must be a string; quote it", key.start_mark, _pointer(path)))
        elif key.value in seen:
            field = _pointer((*path, key.value))
            problems.append(_error(f"duplicate key '{key.value}'", key.start_mark, field))
        else:
            seen.add(key.value)
    return problems


def _plain_data_problems(value: Any, path: PathParts) -> Iterator[Problem]:
    """JSON data only: explicit YAML tags (!!binary, !!set, !!timestamp…) and NaN have no JSON form."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _plain_data_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _plain_data_problems(item, (*path, index))
    elif isinstance(value, float) and not math.isfinite(value):
        yield Problem(path, "not a finite number")
    elif value is not None and not isinstance(value, str | int | float):
        message = f"not plain data (a {type(value).__name__}); use a string, number, list or mapping"
        yield Problem(path, message)


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
    for source, path in sorted(found, key=lambda f: _pointer(f[1])):
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
    for error in _validator().iter_errors(data):
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
