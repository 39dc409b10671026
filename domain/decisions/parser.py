"""YAML source → a validated decision table, with the rigour of process definitions: size, safe YAML
with the table's node and depth limits (``domain/definitions/yaml_source.py``), the JSON Schema of the
format (``definitions/decisions/schema.json``), the model, the names and types of every rule, every cell
compiled, then the static checks. Every problem carries the JSON pointer of the field and its line and
column in the source; a cell that does not compile, the column of the problem inside the cell.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from domain.decisions import checks
from domain.decisions.cells import Cell, coerce
from domain.decisions.errors import DecisionInvalid
from domain.decisions.evaluate import CellProblem, CompiledTable, compile_rules, reader
from domain.decisions.schemas import MAX_RULES, MAX_TEXT_VALUE, DecisionOutput, DecisionTable
from domain.definitions.errors import DefinitionInvalid, LocatedFieldError
from domain.definitions.format_schema import FormatSchema
from domain.definitions.parser import canonical_json, describe, explain, validated
from domain.definitions.yaml_source import Locator, Problem, SourceLimits, decode, load, pointer, raise_if_any
from domain.definitions.yaml_source import Parsed as ParsedSource

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "definitions" / "decisions" / "schema.json"
SCHEMA = FormatSchema(DecisionTable, SCHEMA_PATH)
schema_document = SCHEMA.document
schema_text = SCHEMA.text  # definitions/decisions/schema.json as it must be written
MAX_BYTES = 1_048_576  # as for a process definition; 5,000 rules over five inputs take some 700 KB
# A table of 5,000 rules over a few inputs is some 100,000 YAML nodes: far more than a process has.
MAX_NODES = 250_000
MAX_DEPTH = 8  # table → rules → rule → when → cell is four levels
DECISION_LIMITS = SourceLimits(
    "decision", "name, version, inputs, outputs, rules…", MAX_BYTES, MAX_NODES, MAX_DEPTH, DecisionInvalid
)
MAX_EXPRESSIONS = 200  # cells and input expressions holding {{ … }}: each may run at every evaluation
MAX_EXPRESSION_CHARS = 100_000  # characters of them all
MAX_PROBLEMS = 100  # cells reported that do not compile: the first hundred tell what is wrong


@dataclass(frozen=True)
class ParsedDecision(ParsedSource):
    table: DecisionTable
    warnings: list[dict[str, Any]]
    cells: Sequence[Sequence[Cell]] | None = field(default=None, repr=False, compare=False)

    # Cached: a parsed table never changes, and compiling it again costs what parsing its cells did.
    @functools.cached_property
    def compiled(self) -> CompiledTable:
        return CompiledTable(self.table, self.cells) if self.cells is not None else _compile(self.table)


def _compile(table: DecisionTable) -> CompiledTable:
    from domain.decisions.evaluate import compile_table

    return compile_table(table)


def parse(source: str | bytes) -> ParsedDecision:
    """The decision table in ``source``, or DecisionInvalid listing every problem with its line and
    column. Gaps (unless the table is ``complete``) and unreachable rules are warnings, not problems."""
    try:
        text = decode(source, DECISION_LIMITS)
        root, data = load(text, DECISION_LIMITS)
        locate = Locator(root)
        raise_if_any(locate.problems(_cost_problems(data)))
        table = _table(data, locate)
        cells, cell_problems = compile_rules(table)
        errors = locate.problems(semantic_problems(table))
        lines = text.split("\n")
        errors += [_cell_error(root, lines, locate, problem) for problem in cell_problems[:MAX_PROBLEMS]]
        raise_if_any(errors)
        found = checks.run(table, cells)
        raise_if_any(locate.problems(found.errors))
    except DecisionInvalid:
        raise
    except DefinitionInvalid as exc:
        raise DecisionInvalid(exc.errors) from None
    digest = hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
    return ParsedDecision(
        source=text, sha256=digest, data=data, table=table, warnings=found.warnings, cells=cells
    )


def _table(data: dict[str, Any], locate: Locator) -> DecisionTable:
    """The model of ``data``. The JSON Schema is the model's, so a document the model takes passes it:
    the schema (a second or so on 5,000 rules) only runs to explain a document the model refuses."""
    try:
        return DecisionTable.model_validate(data)
    except ValidationError:
        pass
    raise_if_any(
        locate.problems(
            p
            for error in SCHEMA.validator.iter_errors(data)
            for leaf in explain(error)
            for p in describe(leaf, tuple(leaf.absolute_path))
        )
    )
    return validated(DecisionTable, data, locate)


# -- limits before the schema -------------------------------------------------------------------------


def _cost_problems(data: dict[str, Any]) -> list[Problem]:
    """What validating the table costs grows with its rules and expressions: counted first."""
    rules = data.get("rules")
    if isinstance(rules, list) and len(rules) > MAX_RULES:
        return [Problem(("rules",), f"too many rules: {len(rules)}; the limit is {MAX_RULES}")]
    found: list[str] = []
    stack: list[Any] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack += value.values()
        elif isinstance(value, list):
            stack += value
        elif isinstance(value, str) and "{{" in value:
            found.append(value)
    if len(found) > MAX_EXPRESSIONS:
        return [Problem((), f"too many expressions: {len(found)}; the limit is {MAX_EXPRESSIONS}")]
    chars = sum(map(len, found))
    if chars > MAX_EXPRESSION_CHARS:
        message = f"expressions too long: {chars} characters in all; the limit is {MAX_EXPRESSION_CHARS}"
        return [Problem((), message)]
    return []


# -- names, types and policies ------------------------------------------------------------------------


def semantic_problems(table: DecisionTable) -> Iterator[Problem]:
    """Names unique and known, output values of their type, and a hit policy the outputs support."""
    for kind, names in (
        ("input", [i.name for i in table.inputs]),
        ("output", [o.name for o in table.outputs]),
    ):
        for index, name in enumerate(names):
            if name in names[:index]:
                yield Problem((f"{kind}s", index, "name"), f"the {kind} '{name}' is declared twice")
    for index, i in enumerate(table.inputs):
        try:
            reader(i.expression)
        except ValueError as exc:
            yield Problem(("inputs", index, "expression"), str(exc))
    for index, output in enumerate(table.outputs):
        yield from _values_problems(output, ("outputs", index, "values"))
    yield from _policy_problems(table)
    outputs = {o.name: o for o in table.outputs}
    for r, rule in enumerate(table.rules):
        for name in outputs:
            if name not in rule.then:
                yield Problem(("rules", r, "then"), f"the output '{name}' has no value in this rule")
        for name, value in rule.then.items():
            path = ("rules", r, "then", name)
            if name not in outputs:
                yield Problem(path, f"unknown output '{name}'; outputs: {', '.join(outputs)}", at_key=True)
                continue
            problem = output_value_problem(outputs[name], value)
            if problem:
                yield Problem(path, problem)


def _values_problems(output: DecisionOutput, path: tuple[str | int, ...]) -> Iterator[Problem]:
    seen: list[Any] = []
    for index, value in enumerate(output.values or []):
        problem = _value_problem(output, value)
        if problem:
            yield Problem((*path, index), problem)
        elif any(v == value and isinstance(v, bool) == isinstance(value, bool) for v in seen):
            yield Problem((*path, index), f"{json.dumps(value)} is listed twice")
        seen.append(value)


def _value_problem(output: DecisionOutput, value: Any) -> str | None:
    kind = output.type
    if kind == "number":
        plain = isinstance(value, int | float) and not isinstance(value, bool)
        ok = plain and math.isfinite(value)
    elif kind == "string":
        ok = isinstance(value, str) and len(value) <= MAX_TEXT_VALUE
    elif kind == "boolean":
        ok = isinstance(value, bool)
    else:
        try:
            ok = isinstance(value, str) and coerce(kind, value) is not None
        except ValueError as exc:
            return f"the output '{output.name}' is a {kind}: {exc}"
    if ok:
        return None
    hint = "; quote it to keep it text" if isinstance(value, bool) and kind == "string" else ""
    return f"the output '{output.name}' is a {kind}; got {_shown(value)}{hint}"


def output_value_problem(output: DecisionOutput, value: Any) -> str | None:
    """Why ``value`` cannot be the output's value: its type, or not one of its ``values``."""
    problem = _value_problem(output, value)
    if problem or output.values is None:
        return problem
    if any(v == value and isinstance(v, bool) == isinstance(value, bool) for v in output.values):
        return None
    allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in output.values[:20])
    return f"{_shown(value)} is not one of the values of '{output.name}': {allowed}"


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def _policy_problems(table: DecisionTable) -> Iterator[Problem]:
    policy, how = table.hit_policy, table.aggregation
    if how is not None and policy != "collect":
        yield Problem(("aggregation",), f"an aggregation is only for hit policy collect, not {policy}")
    if policy == "collect" and how in ("sum", "min", "max"):
        for index, output in enumerate(table.outputs):
            if output.type != "number":
                message = f"aggregation {how} needs number outputs; '{output.name}' is a {output.type}"
                yield Problem(("outputs", index, "type"), message)
    if policy == "priority" and not any(o.values for o in table.outputs):
        message = "priority ranks rules by the outputs' values: give an output its values, highest first"
        yield Problem(("hit_policy",), message)


# -- where a cell's problem is ------------------------------------------------------------------------


def _cell_error(
    root: yaml.Node, lines: list[str], locate: Locator, problem: CellProblem
) -> LocatedFieldError:
    path, message, offset = problem
    if offset < 0:  # an unknown input: the key is wrong
        return locate.problems([Problem(path, message, at_key=True)])[0]
    node = _node(root, path)
    if node is None:
        return locate.problems([Problem(path, message)])[0]
    line, column = _cell_position(node, lines, offset)
    return LocatedFieldError(pointer(path), message, line, column)


def _node(root: yaml.Node, path: tuple[str | int, ...]) -> yaml.Node | None:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)]
            if not found:
                return None
            node = found[-1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return None
    return node


def _cell_position(node: yaml.Node, lines: list[str], offset: int) -> tuple[int, int]:
    """1-based line and column of the cell's ``offset``-th character in the source: the scalar is read
    again from its line, through its quotes and escapes. A scalar over several lines: where it starts."""
    start = node.start_mark
    if node.end_mark.line != start.line or not isinstance(node, yaml.ScalarNode):
        return start.line + 1, start.column + 1
    line = lines[start.line] if start.line < len(lines) else ""
    style = node.style
    pos = start.column + (1 if style in ("'", '"') else 0)
    for _ in range(offset):
        if pos >= len(line):
            break
        if style == "'" and line.startswith("''", pos):
            pos += 2
        elif style == '"' and line[pos] == "\\":
            pos += {"x": 4, "u": 6, "U": 10}.get(line[pos + 1 : pos + 2], 2)
        else:
            pos += 1
    return start.line + 1, pos + 1
