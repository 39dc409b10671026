"""Evaluating a decision table: read each input from the context, test every rule's cells, apply the hit
policy, and explain the answer (for each rule, that it matched or its first failing cell).

Pure and deterministic: a process's ``decide`` step calls it inside a workflow.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2.exceptions import UndefinedError

from domain.decisions.cells import Cell, CellError, coerce, compile_cell, expression_problem, key_of, to_json
from domain.decisions.errors import ContextInvalid, DecisionConflict, DecisionInvalid
from domain.decisions.schemas import DecisionInput, DecisionTable
from domain.definitions import expression_limits as limits
from domain.definitions import expressions
from domain.definitions.errors import LocatedFieldError
from domain.errors import FieldError

PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.(?:[A-Za-z_][A-Za-z0-9_]*|\d+))*")
Part = str | int
CellProblem = tuple[tuple[Part, ...], str, int]  # (path in the document, message, offset in the cell)


MAX_EVALUATION_WORK = 4 * limits.MAX_WORK


def _work_done() -> int:
    """The work the expression just evaluated did (``expression_limits`` keeps its budget per thread)."""
    return limits.MAX_WORK - getattr(limits._state, "left", limits.MAX_WORK)


class _Missing(Exception):
    """The context has nothing where an input reads."""


Reader = Callable[[Mapping[str, Any]], Any]


def reader(expression: str) -> Reader:
    """How an input reads its value: a dotted path (``order.amount``, ``items.0.price``) or exactly one
    ``{{ … }}`` expression over the context. ValueError when it is neither."""
    text = expression.strip()
    if PATH.fullmatch(text):
        return _path_reader(tuple(int(p) if p.isdigit() else p for p in text.split(".")))
    if text.startswith("{{"):
        problem = expression_problem(text)
        if problem:
            raise ValueError(problem)
        return _expression_reader(text)
    raise ValueError("an input's expression is a dotted path (order.amount) or one {{ expression }}")


def _path_reader(parts: tuple[Part, ...]) -> Reader:
    def read(context: Mapping[str, Any]) -> Any:
        value: Any = context
        for part in parts:
            if isinstance(value, Mapping) and str(part) in value:
                value = value[str(part)]
            elif isinstance(value, list | tuple) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                raise _Missing
        return value

    return read


def _expression_reader(source: str) -> Reader:
    def read(context: Mapping[str, Any]) -> Any:
        try:
            return expressions.evaluate(source, context, step_id="decision")
        except expressions.ExpressionError as exc:
            if isinstance(exc.__cause__, UndefinedError):
                raise _Missing from None
            raise ValueError(exc.reason) from None

    return read


@dataclass(frozen=True)
class _Rule:
    number: int
    tests: tuple[tuple[int, Cell], ...]  # (input index, cell) of the cells that are not '-'
    then: Mapping[str, Any]
    description: str | None
    rank: tuple[int, ...]  # for priority: the outputs' places in their `values` (lower wins)


def compile_rules(table: DecisionTable) -> tuple[list[list[Cell]], list[CellProblem]]:
    """Every rule's cells, one per input in the order of ``table.inputs`` (``-`` where a rule leaves an
    input out), and the problems of those that do not compile."""
    index = {i.name: n for n, i in enumerate(table.inputs)}
    problems: list[CellProblem] = []
    rules: list[list[Cell]] = []
    any_cells = [compile_cell("-", i.type) for i in table.inputs]
    for r, rule in enumerate(table.rules):
        cells = list(any_cells)
        for name, text in rule.when.items():
            path = ("rules", r, "when", name)
            if name not in index:
                problems.append((path, f"unknown input '{name}'; inputs: {', '.join(index)}", -1))
                continue
            try:
                cells[index[name]] = compile_cell(text, table.inputs[index[name]].type)
            except CellError as exc:
                problems.append((path, exc.message, exc.offset))
        rules.append(cells)
    return rules, problems


def compile_table(table: DecisionTable, cells: Sequence[Sequence[Cell]] | None = None) -> CompiledTable:
    """The table ready to evaluate; DecisionInvalid when a cell or an input's expression does not compile
    (``parse`` has reported those with their place already)."""
    if cells is None:
        compiled, problems = compile_rules(table)
        if problems:
            errors = [LocatedFieldError(_pointer(path), message) for path, message, _ in problems]
            raise DecisionInvalid(errors)
        cells = compiled
    return CompiledTable(table, cells)


def _pointer(path: Sequence[Part]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class CompiledTable:
    """A table whose cells and input expressions are compiled, evaluated any number of times."""

    def __init__(self, table: DecisionTable, cells: Sequence[Sequence[Cell]]) -> None:
        self.table = table
        self.inputs: tuple[DecisionInput, ...] = tuple(table.inputs)
        try:
            self.readers = tuple(reader(i.expression) for i in table.inputs)
        except ValueError as exc:
            raise DecisionInvalid([LocatedFieldError("/inputs", str(exc))]) from None
        ranked = [(o.name, list(o.values)) for o in table.outputs if o.values is not None]
        self.rules = tuple(
            _Rule(
                number=n,
                tests=tuple((i, cell) for i, cell in enumerate(row) if cell.kind != "any"),
                then=rule.then,
                description=rule.description,
                rank=tuple(_place(values, rule.then.get(name)) for name, values in ranked),
            )
            for n, (rule, row) in enumerate(zip(table.rules, cells, strict=True), 1)
        )

    def evaluate(self, context: Mapping[str, Any]) -> dict[str, Any]:
        """The outputs the hit policy makes of the matching rules, with the explanation; ContextInvalid for
        a context without an input or with a value of the wrong type, DecisionConflict when ``unique``
        or ``any`` find rules that disagree."""
        values = self._read(context)
        keys = [key_of(i.type, v) for i, v in zip(self.inputs, values, strict=True)]
        shown = [to_json(i.type, v) for i, v in zip(self.inputs, values, strict=True)]
        matched: list[_Rule] = []
        explanation: list[dict[str, Any]] = []
        work = 0  # of the expression cells together: each alone is bounded, and a table may hold hundreds
        for rule in self.rules:
            failed = None
            for index, cell in rule.tests:
                if cell.kind == "opaque":
                    ok = self._expression(cell, rule, index, values[index], context)
                    work += _work_done()
                    if work > MAX_EVALUATION_WORK:
                        message = f"the table's expressions do more than {MAX_EVALUATION_WORK} steps of work"
                        raise ContextInvalid([FieldError("context", message)], message)
                else:
                    ok = cell.test(keys[index])
                if not ok:
                    name = self.inputs[index].name
                    failed = {"input": name, "cell": cell.text, "value": shown[index]}
                    break
            if failed is None:
                matched.append(rule)
            explanation.append(
                {
                    "rule": rule.number,
                    "matched": failed is None,
                    "description": rule.description,
                    "failed": failed,
                }
            )
        outputs, selected = self._apply(matched)
        t = self.table
        return {
            "decision": t.name,
            "version": t.version,
            "hit_policy": t.hit_policy,
            "aggregation": t.aggregation,
            "inputs": {i.name: v for i, v in zip(self.inputs, shown, strict=True)},
            "outputs": outputs,
            "matched": [r.number for r in matched],
            "selected": [r.number for r in selected],
            "explanation": explanation,
        }

    def _read(self, context: Mapping[str, Any]) -> list[Any]:
        if not isinstance(context, Mapping):
            raise ContextInvalid([FieldError("context", "the context is a mapping of names to values")])
        values: list[Any] = []
        errors: list[FieldError] = []
        for i, read in zip(self.inputs, self.readers, strict=True):
            field = f"context.{i.name}"
            try:
                values.append(coerce(i.type, read(context)))
            except _Missing:
                message = (
                    f"missing: the input '{i.name}' reads {i.expression.strip()}, which the context lacks"
                )
                errors.append(FieldError(field, message))
            except ValueError as exc:
                errors.append(FieldError(field, f"the input '{i.name}' ({i.type}): {exc}"))
        if errors:
            raise ContextInvalid(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))
        return values

    def _expression(
        self, cell: Cell, rule: _Rule, index: int, value: Any, context: Mapping[str, Any]
    ) -> bool:
        scope = {**context, "value": value}
        name = self.inputs[index].name
        try:
            result = expressions.evaluate(cell.text.strip(), scope, step_id=name)
        except expressions.ExpressionError as exc:
            message = f"rule {rule.number}, cell {cell.text.strip()}: {exc.reason}"
            raise ContextInvalid([FieldError(f"context.{name}", message)], message) from None
        if not isinstance(result, bool):
            message = f"rule {rule.number}, cell {cell.text.strip()}: answered {result!r}, not true or false"
            raise ContextInvalid([FieldError(f"context.{name}", message)], message)
        return result

    def _apply(self, matched: list[_Rule]) -> tuple[Any, list[_Rule]]:
        policy = self.table.hit_policy
        if policy in ("collect", "rule_order"):
            if self.table.aggregation is not None:
                return self._aggregate(matched), matched
            return [dict(r.then) for r in matched], matched
        if not matched:
            return None, []
        if policy == "unique" and len(matched) > 1:
            numbers = [r.number for r in matched]
            raise DecisionConflict(
                f"rules {_numbers(numbers)} all match; hit policy unique allows one rule to match", numbers
            )
        if policy == "any":
            answers = {tuple(sorted(r.then.items(), key=lambda kv: kv[0])) for r in matched}
            if len(answers) > 1:
                numbers = [r.number for r in matched]
                raise DecisionConflict(
                    f"rules {_numbers(numbers)} match with different outputs; hit policy any needs one",
                    numbers,
                )
            return dict(matched[0].then), matched
        if policy == "priority":
            best = min(matched, key=lambda r: (r.rank, r.number))
            return dict(best.then), [best]
        return dict(matched[0].then), [matched[0]]

    def _aggregate(self, matched: list[_Rule]) -> dict[str, Any]:
        how = self.table.aggregation
        result: dict[str, Any] = {}
        for output in self.table.outputs:
            if how == "count":
                result[output.name] = len(matched)
                continue
            found = [r.then[output.name] for r in matched if output.name in r.then]
            if how == "sum":
                # Decimal: 0.1 + 0.2 is 0.3 in a discount table, as people expect.
                total = sum((Decimal(str(v)) for v in found), Decimal(0))
                result[output.name] = int(total) if total == total.to_integral_value() else float(total)
            else:
                result[output.name] = (min if how == "min" else max)(found) if found else None
        return result


def _place(values: list[Any], value: Any) -> int:
    for n, allowed in enumerate(values):
        if allowed == value and isinstance(allowed, bool) == isinstance(value, bool):
            return n
    return len(values)


def _numbers(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" and {len(numbers) - 10} more" if len(numbers) > 10 else "")
