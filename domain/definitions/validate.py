"""Semantic checks of a definition that the JSON Schema cannot express: unique ids, known activities and
definitions, reachable steps, expressions that compile and read only what exists, consistent tasks and waits.

Each problem is ``(path, message)`` with ``path`` a JSON pointer into the parsed document
(``/steps/1/branches/0/steps/2/call``), so the parser can point at the line it came from.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from domain.definitions import expressions
from domain.definitions.model import (
    ActivityStep,
    Definition,
    ForeachStep,
    ParallelStep,
    Step,
    SubprocessStep,
    SwitchStep,
    TaskStep,
    TryStep,
    WaitStep,
)
from domain.durations import parse_duration
from domain.entities import safeschema
from domain.instants import out_of_range
from domain.processes.schemas import CODE_WORKFLOWS

Problem = tuple[str, str]
KnownDefinitions = Callable[[str, int | None], bool]

# What every expression may read; the interpreter puts exactly these in the scope.
SCOPE_NAMES = frozenset({"input", "vars", "steps", "now", "process", "new_id"})

# The fields of each step type that hold expressions, as paths relative to the step (`*`: every item).
_EXPRESSION_FIELDS: dict[str, tuple[str, ...]] = {
    "activity": ("with", "compensate/with"),
    "task": (
        "title",
        "description",
        "assignee",
        "candidates",
        "due",
        "reminders/*/notify",
        "escalation/*/after",
        "escalation/*/assignee",
    ),
    "wait": ("duration", "until", "correlation", "timeout"),
    "switch": ("cases/*/when",),
    "foreach": ("items",),
    "set": ("vars",),
    "notify": ("to", "title", "body"),
    "emit": ("payload",),
    "subprocess": ("input",),
    "decide": ("context",),
    "fail": ("message",),
    "end": ("output",),
}


@dataclass(frozen=True)
class _StepList:
    path: str  # pointer to the list
    steps: Sequence[Step]
    names: frozenset[str]  # the variables the steps' expressions may read


@dataclass(frozen=True)
class _Context:
    definition: Definition
    data: Mapping[str, Any]
    step_ids: frozenset[str]
    known_activities: Collection[str]
    known_definitions: KnownDefinitions | None
    known_workflows: Collection[str]


def semantic_errors(
    definition: Definition,
    data: Mapping[str, Any],
    *,
    known_activities: Collection[str],
    known_definitions: KnownDefinitions | None = None,
    known_workflows: Collection[str] = tuple(CODE_WORKFLOWS),
) -> list[Problem]:
    """Every semantic problem of a definition that already matches the model. ``known_definitions(name,
    version)`` answers whether a subprocess may start that definition; None skips that check."""
    context = _Context(
        definition,
        data,
        frozenset(step.id for _, step in iter_steps(definition)),
        known_activities,
        known_definitions,
        known_workflows,
    )
    problems = _duplicate_ids(definition)
    for step_list in _step_lists(definition.steps, "/steps", SCOPE_NAMES):
        problems += _unreachable(step_list)
    for path, step, names in _walk(definition.steps, "/steps", SCOPE_NAMES):
        problems += _step_expressions(step, path, names, context)
        problems += _STEP_CHECKS.get(step.type, _no_checks)(step, path, context)
    problems += _expression_problems(data.get("output"), "/output", SCOPE_NAMES, context.step_ids)
    problems += _schema_problems(definition.input, "/input", "input")
    return problems


def iter_steps(definition: Definition) -> Iterator[tuple[str, Step]]:
    """Every step, nested ones included, in document order, with its JSON pointer."""
    for path, step, _ in _walk(definition.steps, "/steps", SCOPE_NAMES):
        yield path, step


def subprocess_refs(definition: Definition) -> set[tuple[str, int | None]]:
    """The (name, version) of every definition this one starts; version None means the latest. A
    ``workflow: approval`` step starts the shipped definition of that name (the code workflow it once
    started is kept only for the processes that began with it)."""
    return {
        (name, step.version)
        for _, step in iter_steps(definition)
        if isinstance(step, SubprocessStep) and (name := step.definition or step.workflow)
    }


# -- structure --------------------------------------------------------------------------------------


def _children(step: Step) -> Iterator[tuple[str, Sequence[Step], frozenset[str]]]:
    """The step lists nested in ``step``: relative path, steps, and the names they may read in addition."""
    none: frozenset[str] = frozenset()
    if isinstance(step, SwitchStep):
        for i, case in enumerate(step.cases):
            yield f"cases/{i}/steps", case.steps, none
        yield "default", step.default, none
    elif isinstance(step, ParallelStep):
        for i, branch in enumerate(step.branches):
            yield f"branches/{i}/steps", branch.steps, none
    elif isinstance(step, ForeachStep):
        yield "steps", step.steps, frozenset({step.as_, "index"})
    elif isinstance(step, TryStep):
        yield "steps", step.steps, none
        for i, catch in enumerate(step.catch):
            yield f"catch/{i}/steps", catch.steps, frozenset({"error"})
    elif isinstance(step, TaskStep) and step.on_timeout:
        yield "on_timeout/steps", step.on_timeout.steps, none
    elif isinstance(step, WaitStep):
        yield "on_timeout", step.on_timeout, none


def _walk(
    steps: Sequence[Step], path: str, names: frozenset[str]
) -> Iterator[tuple[str, Step, frozenset[str]]]:
    """Depth first, in document order: each step's pointer, the step, and the names it may read."""
    for index, step in enumerate(steps):
        here = f"{path}/{index}"
        yield here, step, names
        for suffix, children, extra in _children(step):
            yield from _walk(children, f"{here}/{suffix}", names | extra)


def _step_lists(steps: Sequence[Step], path: str, names: frozenset[str]) -> Iterator[_StepList]:
    yield _StepList(path, steps, names)
    for index, step in enumerate(steps):
        for suffix, children, extra in _children(step):
            yield from _step_lists(children, f"{path}/{index}/{suffix}", names | extra)


def _duplicate_ids(definition: Definition) -> list[Problem]:
    """Step and branch ids share one namespace; both places of a duplicate are named."""
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for path, step in iter_steps(definition):
        places = [(f"{path}/id", step.id)]
        if isinstance(step, ParallelStep):
            places += [(f"{path}/branches/{i}/id", b.id) for i, b in enumerate(step.branches)]
        for id_path, ident in places:
            if ident in first:
                problems.append((id_path, f"duplicate step id '{ident}': already used at {first[ident]}"))
                problems.append((first[ident], f"step id '{ident}' is used again at {id_path}"))
            else:
                first[ident] = id_path
    return problems


def _unreachable(step_list: _StepList) -> list[Problem]:
    for index, step in enumerate(step_list.steps[:-1]):
        if step.type in ("end", "fail") and step.when is None:
            return [
                (f"{step_list.path}/{index + 1}", f"unreachable: follows the '{step.type}' step '{step.id}'")
            ]
    return []


# -- expressions ------------------------------------------------------------------------------------


def _step_expressions(step: Step, path: str, names: frozenset[str], context: _Context) -> list[Problem]:
    raw = _at(context.data, path)
    problems: list[Problem] = []
    for pattern in ("when", *_EXPRESSION_FIELDS.get(step.type, ())):
        for field_path, value in _resolve(raw, pattern.split("/"), path):
            problems += _expression_problems(value, field_path, names, context.step_ids)
    return problems


def _expression_problems(
    value: Any, path: str, names: frozenset[str], step_ids: frozenset[str]
) -> list[Problem]:
    problems: list[Problem] = []
    for string_path, source in _expression_strings(value, path):
        broken = expressions.check(source)
        if broken:
            problems.append((string_path, f"expression '{source}' does not compile: {broken[0][1]}"))
            continue
        for name in sorted(expressions.names(source) - names - expressions.BUILTIN_NAMES):
            known = ", ".join(sorted(names))
            problems.append((string_path, f"unknown variable '{name}' in '{source}'; known: {known}"))
        for ref in sorted(expressions.step_refs(source) - step_ids):
            hint = _did_you_mean(ref, step_ids)
            problems.append((string_path, f"no step '{ref}' in this definition{hint} (read in '{source}')"))
    return problems


def _expression_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if expressions.is_expression(value):
            yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _expression_strings(item, f"{path}/{_escape(str(key))}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _expression_strings(item, f"{path}/{index}")


def _resolve(value: Any, parts: list[str], path: str) -> Iterator[tuple[str, Any]]:
    """The values at ``parts`` below ``value`` (``*`` matches every list item), with their pointers."""
    if not parts:
        yield path, value
    elif parts[0] == "*" and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _resolve(item, parts[1:], f"{path}/{index}")
    elif isinstance(value, Mapping) and parts[0] in value:
        yield from _resolve(value[parts[0]], parts[1:], f"{path}/{_escape(parts[0])}")


# -- per step type ----------------------------------------------------------------------------------


def _no_checks(step: Any, path: str, context: _Context) -> list[Problem]:
    return []


def _activity(step: ActivityStep, path: str, context: _Context) -> list[Problem]:
    problems = _known_activity(step.call, f"{path}/call", context)
    if step.compensate:
        problems += _known_activity(step.compensate.call, f"{path}/compensate/call", context)
    return problems


def _known_activity(name: str, path: str, context: _Context) -> list[Problem]:
    if name in context.known_activities:
        return []
    return [(path, f"unknown activity '{name}'{_did_you_mean(name, context.known_activities)}")]


def _task(step: TaskStep, path: str, context: _Context) -> list[Problem]:
    problems = _quorum(step, path)
    if step.on_timeout and step.due is None:
        problems.append((f"{path}/on_timeout", "on_timeout needs 'due': without it the task never times out"))
    if (
        step.on_timeout
        and step.on_timeout.outcome is not None
        and step.on_timeout.outcome not in step.outcomes
    ):
        outcomes = ", ".join(step.outcomes)
        message = f"'{step.on_timeout.outcome}' is not one of the task's outcomes ({outcomes})"
        problems.append((f"{path}/on_timeout/outcome", message))
    seen: set[str] = set()
    for index, outcome in enumerate(step.outcomes):
        if outcome in seen:
            problems.append((f"{path}/outcomes/{index}", f"duplicate outcome '{outcome}'"))
        seen.add(outcome)
    if step.form is not None:
        problems += _schema_problems(step.form, f"{path}/form", "form")
    problems += _literal_duration(step.due, f"{path}/due")
    for index, escalation in enumerate(step.escalation):
        if escalation.after.strip() == "due":  # fires when the due date passes, and restarts it
            if step.due is None:
                problems.append((f"{path}/escalation/{index}/after", "'after: due' needs the task's 'due'"))
            continue
        problems += _literal_duration(escalation.after, f"{path}/escalation/{index}/after")
    return problems


def _quorum(step: TaskStep, path: str) -> list[Problem]:
    quorum = step.quorum
    if not isinstance(quorum, int):
        return []
    if quorum < 1:
        return [(f"{path}/quorum", "quorum must be at least 1")]
    if isinstance(step.assignee, list):
        # An expression item may stand for several people, so only a literal list has a known size.
        literal = not any(map(expressions.is_expression, step.assignee))
        one_role = len(step.assignee) == 1 and step.assignee[0].startswith("role:")
        if literal and not one_role and quorum > len(step.assignee):
            return [(f"{path}/quorum", f"quorum {quorum} is more than the {len(step.assignee)} assignees")]
    elif (
        quorum > 1
        and not step.candidates
        and not expressions.is_expression(step.assignee)
        and not step.assignee.startswith("role:")  # any N of the role's members, one task each
    ):
        return [
            (
                f"{path}/quorum",
                f"a quorum of {quorum} needs a role (any {quorum} of its members), a list of assignees "
                "or candidates",
            )
        ]
    return []


def _wait(step: WaitStep, path: str, context: _Context) -> list[Problem]:
    modes = [name for name in ("duration", "until", "signal") if getattr(step, name) is not None]
    problems: list[Problem] = []
    if len(modes) != 1:
        found = f"it has {' and '.join(modes)}" if modes else "it has none"
        problems.append((path, f"a wait needs exactly one of duration, until or signal; {found}"))
    if step.signal is None:
        for name in ("correlation", "timeout"):
            if getattr(step, name) is not None:
                problems.append((f"{path}/{name}", f"'{name}' applies only to a wait for a signal"))
    if step.on_timeout and step.timeout is None:
        problems.append((f"{path}/on_timeout", "on_timeout needs 'timeout'"))
    problems += _literal_duration(step.duration, f"{path}/duration")
    problems += _literal_duration(step.timeout, f"{path}/timeout")
    problems += _literal_instant(step.until, f"{path}/until")
    return problems


def _parallel(step: ParallelStep, path: str, context: _Context) -> list[Problem]:
    if isinstance(step.join, int) and not 1 <= step.join <= len(step.branches):
        return [(f"{path}/join", f"join must be between 1 and the {len(step.branches)} branches")]
    return []


def _foreach(step: ForeachStep, path: str, context: _Context) -> list[Problem]:
    if step.as_ in SCOPE_NAMES or step.as_ == "index":
        return [(f"{path}/as", f"'{step.as_}' would hide a variable expressions read; choose another name")]
    return []


def _subprocess(step: SubprocessStep, path: str, context: _Context) -> list[Problem]:
    if (step.definition is None) == (step.workflow is None):
        return [(path, "a subprocess starts exactly one of a 'definition' or a 'workflow'")]
    if step.workflow is not None:
        if step.version is not None:
            return [(f"{path}/version", "'version' applies only to a definition")]
        if step.workflow not in context.known_workflows:
            hint = _did_you_mean(step.workflow, context.known_workflows)
            return [(f"{path}/workflow", f"unknown workflow '{step.workflow}'{hint}")]
        return []
    name = step.definition or ""
    if name == context.definition.name:
        return [(f"{path}/definition", f"cycle: {name} starts itself")]
    if context.known_definitions is not None and not context.known_definitions(name, step.version):
        which = f"'{name}' version {step.version}" if step.version is not None else f"'{name}'"
        return [(f"{path}/definition", f"unknown definition {which}")]
    return []


_STEP_CHECKS: dict[str, Callable[[Any, str, _Context], list[Problem]]] = {
    "activity": _activity,
    "task": _task,
    "wait": _wait,
    "parallel": _parallel,
    "foreach": _foreach,
    "subprocess": _subprocess,
}


# -- values -----------------------------------------------------------------------------------------


def _literal_duration(value: str | None, path: str) -> list[Problem]:
    if value is None or expressions.is_expression(value):
        return []
    try:
        parse_duration(value)
    except ValueError as exc:
        return [(path, str(exc))]
    return []


def _literal_instant(value: str | None, path: str) -> list[Problem]:
    if value is None or expressions.is_expression(value):
        return []
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return [(path, f"'{value}' is not an RFC 3339 instant such as 2030-01-31T09:00:00Z")]
    if instant.tzinfo is None:
        return [(path, f"'{value}' has no time zone; add Z or an offset such as +01:00")]
    if (problem := out_of_range(instant)) is not None:
        return [(path, f"'{value}' {problem}")]
    return []


def _schema_problems(schema: Mapping[str, Any], path: str, what: str) -> list[Problem]:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "".join(f"/{_escape(str(part))}" for part in exc.path)
        return [(f"{path}{where}", f"{what} is not a valid JSON Schema: {exc.message}")]
    # Local $refs only, RE2-compatible patterns, bounded size: the schema runs in the shared API process.
    return [(f.field, f"{what}: {f.message}") for f in safeschema.problems_of(dict(schema), path)]


def _did_you_mean(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.7)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _at(data: Any, pointer: str) -> Any:
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data
