"""JSON Schemas written by tenants, made safe to keep and to run.

A tenant's schema is run by the API process that serves every tenant, so it must not be able to
stall it or make it reach elsewhere:
- every regular expression (``pattern``, ``patternProperties``, the ``regex`` format) runs on RE2,
  whose matching time is linear in the input; a pattern RE2 cannot compile (backreferences,
  lookaround) or whose program is too large for that time to stay small is refused when the
  schema is written;
- ``$ref``/``$dynamicRef`` may only point inside the schema itself, without cycles, and the
  validator's registry retrieves nothing, so no URL or file is ever fetched;
- the schema's size, depth, pattern length, ``unevaluated*`` keywords and the size it expands to
  through ``$ref`` are capped, and ``uniqueItems`` is linear, so one validation has bounded work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urldefrag, urljoin

import re2
from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
from jsonschema.exceptions import SchemaError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from domain.errors import FieldError

MAX_SCHEMA_BYTES = 64 * 1024
MAX_DEPTH = 32
MAX_NODES = 2_000
MAX_EXPANDED = 20_000
MAX_PATTERN_LENGTH = 1_000
MAX_UNEVALUATED = 8
_UNEVALUATED = ("unevaluatedProperties", "unevaluatedItems")
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the tenant's error, reported to them, not logged
# Only "does it match" is ever asked: without capture groups RE2 answers from its DFA alone.
_OPTIONS.never_capture = True
# RE2's time is linear in the text but grows with the compiled program: a{1000} is 1000 steps per
# character once the DFA gives up. Below this size a 1 MB value is matched in well under 0.1 s.
MAX_PROGRAM_SIZE = 2_000
_REF_KEYWORDS = ("$ref", "$dynamicRef")
_PATTERN_KEYWORDS = ("pattern",)


class _Cycle(Exception):
    """A ``$ref`` reached a schema that contains it."""


class UnsafeSchema(Exception):
    """Raised by a validator built from a schema that breaks the rules above (one stored before them)."""


@lru_cache(maxsize=256)  # shared by every tenant: small, so cached programs stay a few MB at most
def regex(pattern: str) -> Any:
    """The RE2 program of a schema's ``pattern``; raises ``re2.error`` when RE2 cannot compile it."""
    return re2.compile(pattern, options=_OPTIONS)


def _matches(pattern: str, text: str) -> bool:
    return regex(pattern).search(text) is not None


# Keyword implementations equal to jsonschema's own, with RE2 in place of Python's backtracking ``re``.
def _pattern(validator: Any, patrn: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _matches(patrn, instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


def _pattern_properties(
    validator: Any, value: dict[str, Any], instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in value.items():
        for key, item in instance.items():
            if _matches(patrn, key):
                yield from validator.descend(item, subschema, path=key, schema_path=patrn)


def _extras(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [k for k in instance if k not in known and not any(_matches(p, k) for p in patterns)]


def _additional_properties(validator: Any, ap: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if not validator.is_type(instance, "object"):
        return
    extras = _extras(instance, schema)
    if validator.is_type(ap, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], ap, path=extra)
    elif not ap and extras:
        if "patternProperties" in schema:
            patterns = ", ".join(repr(p) for p in sorted(schema["patternProperties"]))
            joined = ", ".join(repr(e) for e in sorted(extras))
            yield ValidationError(
                f"{joined} {'does' if len(extras) == 1 else 'do'} not match any of the regexes: {patterns}"
            )
        else:
            listed = ", ".join(repr(e) for e in sorted(extras))
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(f"Additional properties are not allowed ({listed} {verb} unexpected)")


def _identity(value: Any) -> Any:
    """A hashable value equal for JSON-equal values (1 and 1.0 alike, true and 1 not)."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, int | float):
        return ("n", value)
    if isinstance(value, str):
        return ("s", value)
    if isinstance(value, list):
        return ("a", tuple(_identity(v) for v in value))
    if isinstance(value, dict):
        return ("o", frozenset((k, _identity(v)) for k, v in value.items()))
    return ("z", None) if value is None else ("?", repr(value))


def _unique_items(validator: Any, unique: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # jsonschema compares unhashable items pairwise: 2,000 objects took 12 s. A set of keys is linear.
    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for index, item in enumerate(instance):
        key = _identity(item)
        if key in seen:
            yield ValidationError(f"has non-unique elements (item {index} repeats an earlier one)")
            return
        seen.add(key)


def formats(base: FormatChecker | None = None) -> FormatChecker:
    """``base`` (default: the 2020-12 formats) with ``regex`` checked by RE2."""
    checker = FormatChecker()
    source = base if base is not None else Draft202012Validator.FORMAT_CHECKER
    checker.checkers = dict(source.checkers)

    @checker.checks("regex", raises=re2.error)
    def is_regex(instance: object) -> bool:
        # A record's value, not the schema's: compiled once, never cached, and as long as a pattern may be.
        if not isinstance(instance, str):
            return True
        return len(instance) <= MAX_PATTERN_LENGTH and re2.compile(instance, options=_OPTIONS) is not None

    return checker


_SafeValidator = validators.extend(
    Draft202012Validator,
    {
        "pattern": _pattern,
        "patternProperties": _pattern_properties,
        "additionalProperties": _additional_properties,
        "uniqueItems": _unique_items,
    },
)


def _retrieve_nothing(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


_NO_RETRIEVAL: Registry[Any] = Registry(retrieve=_retrieve_nothing)  # type: ignore[call-arg]


def validator(schema: Mapping[str, Any], format_checker: FormatChecker | None = None) -> Any:
    """A 2020-12 validator of a tenant's schema: RE2 patterns, no retrieval. Refuses an unsafe schema."""
    problems = _problems_of_json(json.dumps(schema, sort_keys=True))
    if problems:
        raise UnsafeSchema(f"{problems[0].field or '/'}: {problems[0].message}")
    return _SafeValidator(schema, format_checker=formats(format_checker), registry=_NO_RETRIEVAL)


@lru_cache(maxsize=256)  # relation and task-form schemas are checked again on every use
def _problems_of_json(schema_json: str) -> list[FieldError]:
    return problems_of(json.loads(schema_json))


def problems_of(schema: Any, at: str = "") -> list[FieldError]:
    """Why ``schema`` may not be kept (empty when it may), each at a JSON pointer prefixed with ``at``."""
    if isinstance(schema, bool):
        return []
    if not isinstance(schema, dict):
        return [FieldError(at or "/", "must be a JSON Schema object")]
    try:
        size = len(json.dumps(schema, ensure_ascii=False).encode())
    except (TypeError, ValueError):
        return [FieldError(at or "/", "must be JSON")]
    except RecursionError:
        return [FieldError(at or "/", f"nests deeper than {MAX_DEPTH} levels")]
    if size > MAX_SCHEMA_BYTES:
        return [FieldError(at or "/", f"is {size} bytes; a schema may have at most {MAX_SCHEMA_BYTES}")]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [FieldError(at + "".join(f"/{_escape(p)}" for p in exc.absolute_path), exc.message)]
    walk = _Walk(schema, at)
    walk.visit(schema, "", "", 0)
    if not walk.problems:
        walk.check_refs()
    return walk.problems


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


# Keywords whose value is a schema, a list of schemas, or a map of names to schemas (2020-12).
_ONE = {"additionalProperties", "unevaluatedProperties", "items", "contains", "propertyNames", "not",
        "if", "then", "else", "unevaluatedItems", "contentSchema"}  # fmt: skip
_MANY = {"allOf", "anyOf", "oneOf", "prefixItems"}
_MAP = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


class _Walk:
    """One pass over a schema: counts nodes, checks patterns, records ``$id``s, anchors and refs."""

    def __init__(self, root: dict[str, Any], at: str) -> None:
        self.root, self.at = root, at
        self.problems: list[FieldError] = []
        self.nodes = 0
        self.unevaluated = 0
        self.resources: dict[str, Any] = {}  # absolute base URI (no fragment) -> schema
        self.anchors: dict[str, Any] = {}  # "base#anchor" -> schema
        self.refs: list[tuple[Any, str, str]] = []  # (schema holding the ref, resolved URI, pointer)
        self.bases: dict[int, str] = {}

    def fail(self, where: str, message: str) -> None:
        self.problems.append(FieldError(self.at + where, message))

    def visit(self, node: Any, where: str, base: str, depth: int) -> None:
        self.nodes += 1
        if self.problems:
            return
        if self.nodes > MAX_NODES:
            self.fail("", f"has more than {MAX_NODES} subschemas and keywords; split or simplify it")
            return
        if depth > MAX_DEPTH:
            self.fail(where, f"nests deeper than {MAX_DEPTH} levels")
            return
        if not isinstance(node, dict):
            return
        if isinstance(node.get("$id"), str):
            base = urldefrag(urljoin(base, node["$id"])).url
            self.resources[base] = node
        if not self.resources:
            self.resources[""] = node
        self.bases[id(node)] = base
        for key in ("$anchor", "$dynamicAnchor"):
            if isinstance(node.get(key), str):
                self.anchors[f"{base}#{node[key]}"] = node
        self.unevaluated += sum(1 for key in _UNEVALUATED if key in node)
        if self.unevaluated > MAX_UNEVALUATED:
            # jsonschema re-validates every subschema an unevaluated* keyword covers, once per such
            # keyword around it: nesting them is exponential (16 levels took 7 s).
            self.fail(
                where, f"a schema may use unevaluatedProperties/unevaluatedItems {MAX_UNEVALUATED} times"
            )
            return
        for key, value in node.items():
            self.nodes += 1
            here = f"{where}/{_escape(key)}"
            if key in _PATTERN_KEYWORDS and isinstance(value, str):
                self._pattern(here, value)
            elif key == "patternProperties" and isinstance(value, dict):
                for patrn in value:
                    self._pattern(f"{here}/{_escape(patrn)}", patrn)
            if key in _REF_KEYWORDS and isinstance(value, str):
                self.refs.append((node, urljoin(base, value) if base else value, here))
            if key in _ONE:
                self.visit(value, here, base, depth + 1)
            elif key in _MANY and isinstance(value, list):
                for i, sub in enumerate(value):
                    self.visit(sub, f"{here}/{i}", base, depth + 1)
            elif key in _MAP and isinstance(value, dict):
                for name, sub in value.items():
                    self.visit(sub, f"{here}/{_escape(name)}", base, depth + 1)

    def _pattern(self, where: str, patrn: str) -> None:
        if len(patrn) > MAX_PATTERN_LENGTH:
            self.fail(where, f"a pattern may have at most {MAX_PATTERN_LENGTH} characters")
            return
        try:
            program = regex(patrn)
        except re2.error as exc:
            detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            self.fail(
                where,
                f"is not a supported regular expression ({detail}); "
                "backreferences and lookaround are not supported",
            )
            return
        if max(program.programsize, program.reverseprogramsize) > MAX_PROGRAM_SIZE:
            self.fail(where, "is too complex to match in bounded time (lower its repetition counts)")

    def resolve(self, uri: str) -> Any:
        """The subschema ``uri`` names inside this document, or None."""
        doc_uri, fragment = urldefrag(uri)
        doc = self.resources.get(doc_uri)
        if doc is None:
            return None
        if not fragment:
            return doc
        if not fragment.startswith("/"):
            return self.anchors.get(f"{doc_uri}#{fragment}")
        node: Any = doc
        for raw in fragment[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def check_refs(self) -> None:
        targets: dict[int, list[Any]] = {}
        for holder, uri, where in self.refs:
            target = self.resolve(uri)
            if target is None:
                self.fail(
                    where, "must point inside this schema (#/$defs/…); nothing outside it is ever fetched"
                )
                return
            if not isinstance(target, bool) and id(target) not in self.bases:
                # Somewhere the walk did not check (under an unknown keyword): its patterns were not vetted.
                self.fail(where, "must point at a subschema ($defs, properties, items…), not elsewhere")
                return
            targets.setdefault(id(holder), []).append(target)
        self._expanded(targets)

    def _expanded(self, targets: dict[int, list[Any]]) -> None:
        """Refuses ``$ref`` cycles and schemas whose refs expand them past ``MAX_EXPANDED`` nodes."""
        sizes: dict[int, int] = {}
        active: set[int] = set()

        def size(node: Any) -> int:
            if not isinstance(node, dict | list):
                return 1
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in active:
                raise _Cycle
            active.add(key)
            children = node.values() if isinstance(node, dict) else node
            total = 1 + sum(size(c) for c in children) + sum(size(t) for t in targets.get(key, []))
            active.discard(key)
            sizes[key] = min(total, MAX_EXPANDED + 1)
            return sizes[key]

        try:
            total = size(self.root)
        except _Cycle:
            self.fail("", "has a $ref that refers back to itself; recursive schemas are not supported")
            return
        except RecursionError:
            self.fail("", "chains $ref too deeply; simplify it")
            return
        if total > MAX_EXPANDED:
            self.fail("", f"expands through $ref to more than {MAX_EXPANDED} nodes; simplify it")
