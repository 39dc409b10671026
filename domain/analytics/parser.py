"""YAML source → a validated metric declaration, with the rigour of process definitions and their
pieces (``domain/definitions/parser.py``): size, safe YAML with node and depth limits, the JSON Schema of
the format, the model, then what the source offers. Every problem carries the JSON pointer of the field
and its line and column in the source."""

from __future__ import annotations

import difflib
import functools
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.analytics import utilisation
from domain.analytics.schemas import MetricDeclaration
from domain.analytics.sources import ATTRIBUTE, ENTITY_RECORDS, SOURCES, Source, entity_source
from domain.definitions.errors import DefinitionInvalid, LocatedFieldError
from domain.definitions.format_schema import FormatSchema
from domain.definitions.parser import MAX_DEPTH, MAX_NODES, canonical_json, describe, explain, validated
from domain.definitions.yaml_source import Locator, Parsed, Problem, SourceLimits, decode, load, raise_if_any

EntitySchemas = Callable[[str], Mapping[str, Any] | None]
"""An entity type's current JSON Schema by its name; None for a type the tenant does not have."""
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "definitions" / "metrics" / "schema.json"
SCHEMA = FormatSchema(MetricDeclaration, SCHEMA_PATH)
schema_document = SCHEMA.document
schema_text = SCHEMA.text  # definitions/metrics/schema.json as it must be written
MAX_BYTES = 65_536
METRIC_SOURCES: dict[str, Source] = SOURCES | {utilisation.NAME: utilisation.SOURCE}


class MetricInvalid(DefinitionInvalid):
    """``details["fields"]``: ``{field, message, line, column}`` each, as for a process definition."""

    def __init__(self, errors: list[LocatedFieldError]) -> None:
        super().__init__(errors, "The metric is not valid.")


METRIC_LIMITS = SourceLimits(
    "metric", "name, version, source, measure…", MAX_BYTES, MAX_NODES, MAX_DEPTH, MetricInvalid
)


@dataclass(frozen=True)
class ParsedMetric(Parsed):
    declaration: MetricDeclaration

    # Cached: a declaration never changes, and an entity-record source is built anew per call.
    @functools.cached_property
    def facts(self) -> Source:
        return source_of(self.declaration)

    @functools.cached_property
    def unit(self) -> str:
        d = self.declaration
        if d.measure.agg in ("count", "count_distinct"):
            return "count"
        kind = self.facts.fields[str(d.measure.field)].kind
        return {"duration": "seconds", "amount": "amount", "number": "number"}[kind]


def attributes_of(d: MetricDeclaration) -> tuple[str, ...]:
    """The entity attributes a declaration names (``attribute:<name>``), each once, in order."""
    named = [d.measure.field, *d.dimensions, *(f.dimension for f in d.filters)]
    found = [n.removeprefix(ATTRIBUTE) for n in named if n is not None and n.startswith(ATTRIBUTE)]
    return tuple(dict.fromkeys(found))


def source_of(d: MetricDeclaration) -> Source:
    if d.source == ENTITY_RECORDS and d.entity_type is not None:
        return entity_source(d.entity_type, attributes_of(d))
    return METRIC_SOURCES[d.source]


def parse(source: str | bytes, entity_schemas: EntitySchemas | None = None) -> ParsedMetric:
    """The metric in ``source``, or MetricInvalid listing every problem with its line and column.
    With ``entity_schemas``, the attributes an entity_records metric names are checked against its
    type's current schema (publishing); without, only their spelling."""
    try:
        text = decode(source, METRIC_LIMITS)
        root, data = load(text, METRIC_LIMITS)
        locate = Locator(root)
        raise_if_any(
            locate.problems(
                p
                for error in SCHEMA.validator.iter_errors(data)
                for leaf in explain(error)
                for p in describe(leaf, tuple(leaf.absolute_path))
            )
        )
        declaration = validated(MetricDeclaration, data, locate)
        raise_if_any(locate.problems(semantic_problems(declaration)))
        if entity_schemas is not None and declaration.source == ENTITY_RECORDS:
            raise_if_any(locate.problems(attribute_problems(declaration, entity_schemas)))
    except MetricInvalid:
        raise
    except DefinitionInvalid as exc:
        raise MetricInvalid(exc.errors) from None
    canonical = canonical_json(data)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return ParsedMetric(source=text, sha256=digest, data=data, declaration=declaration)


def _unknown(what: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown {what} '{name}'; {hint}known: {', '.join(known) or 'none'}"


def semantic_problems(d: MetricDeclaration) -> Iterator[Problem]:
    """What the source offers: the measured field, the dimensions and the filters' dimensions."""
    if d.source == ENTITY_RECORDS and d.entity_type is None:
        yield Problem(("source",), "entity_records needs entity_type: the name of an entity type")
        return
    if d.entity_type is not None and d.source != ENTITY_RECORDS:
        yield Problem(("entity_type",), "only for source entity_records")
        return
    if d.source not in METRIC_SOURCES and d.source != ENTITY_RECORDS:
        yield Problem(("source",), _unknown("source", d.source, sorted([*METRIC_SOURCES, ENTITY_RECORDS])))
        return
    source = source_of(d)
    if source.compute is not None and (d.measure.agg, d.measure.field) != ("avg", "utilisation"):
        yield Problem(("measure",), f"{source.name} answers one measure: agg avg of the field utilisation")
        return
    dimensions = sorted(source.dimensions)
    yield from _measure_problems(d, source)
    seen: set[str] = set()
    for index, name in enumerate(d.dimensions):
        if name not in source.dimensions:
            yield Problem(("dimensions", index), _unknown(f"dimension of {source.name}", name, dimensions))
        elif name in seen:
            yield Problem(("dimensions", index), f"'{name}' is listed twice")
        seen.add(name)
    for index, f in enumerate(d.filters):
        if f.dimension not in source.dimensions:
            message = _unknown(f"dimension of {source.name}", f.dimension, dimensions)
            yield Problem(("filters", index, "dimension"), message)
    if len(set(d.grains)) != len(d.grains):
        yield Problem(("grains",), "a grain is listed twice")


def _measure_problems(d: MetricDeclaration, source: Source) -> Iterator[Problem]:
    agg, name = d.measure.agg, d.measure.field
    numeric = sorted(source.fields)
    if name is None:
        if agg != "count":
            yield Problem(
                ("measure", "field"), f"'{agg}' needs a field; {source.name} offers: {', '.join(numeric)}"
            )
        return
    if agg == "count_distinct":
        known = sorted({*source.fields, *source.dimensions})
        if name not in known:
            yield Problem(("measure", "field"), _unknown(f"field of {source.name}", name, known))
    elif name not in source.fields:
        yield Problem(("measure", "field"), _unknown(f"numeric field of {source.name}", name, numeric))


def _kind(prop: Any) -> str:
    """What an attribute of a JSON Schema holds: number, text (strings, enums, booleans) or other."""
    if not isinstance(prop, dict):
        return "other"
    kinds = prop.get("type")
    kinds = [k for k in kinds if k != "null"] if isinstance(kinds, list) else [kinds]
    if kinds and set(kinds) <= {"number", "integer"}:
        return "number"
    if "enum" in prop or (kinds and set(kinds) <= {"string", "boolean"}):
        return "text"
    return "other"


def attribute_problems(d: MetricDeclaration, schemas: EntitySchemas) -> Iterator[Problem]:
    """The entity type exists now, the measured attribute is numeric and every dimension's attribute a
    string, an enum or a boolean in its current schema."""
    schema = schemas(str(d.entity_type))
    if schema is None:
        yield Problem(("entity_type",), f"'{d.entity_type}' is not an entity type of this tenant")
        return
    props = schema.get("properties") or {}
    names = sorted(ATTRIBUTE + str(n) for n in props)

    def check(path: tuple[str | int, ...], name: str | None, wanted: str) -> Iterator[Problem]:
        if name is None or not name.startswith(ATTRIBUTE):
            return
        attribute = name.removeprefix(ATTRIBUTE)
        if attribute not in props:
            yield Problem(path, _unknown(f"attribute of {d.entity_type}", name, names))
        elif _kind(props[attribute]) != wanted:
            what = "a number" if wanted == "number" else "a string, an enum or a boolean"
            yield Problem(path, f"'{name}' is not {what} in the type's schema")

    if d.measure.agg != "count_distinct":
        yield from check(("measure", "field"), d.measure.field, "number")
    for index, name in enumerate(d.dimensions):
        yield from check(("dimensions", index), name, "text")
    for index, f in enumerate(d.filters):
        yield from check(("filters", index, "dimension"), f.dimension, "text")
