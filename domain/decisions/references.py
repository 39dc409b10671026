"""Decision tables as process definitions use them: the decide steps' references, checked when a
definition is published and pinned when a process starts.

Here rather than in ``domain.definitions``: decision tables build on the definition language (its
expressions, errors and source locations), so the dependency runs this way only. The API composes
the two: it checks a definition with ``check_definition`` and pins a start with ``pin``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from sqlalchemy.orm import Session

from domain.context import TenantContext
from domain.decisions import service
from domain.decisions.schemas import DecisionTable
from domain.definitions import expressions
from domain.definitions.errors import DefinitionInvalid
from domain.definitions.model import DecideStep, Definition
from domain.definitions.parser import DEFINITION_LIMITS, ParsedDefinition
from domain.definitions.validate import iter_steps
from domain.definitions.yaml_source import Locator, Problem, load
from domain.errors import FieldError, NotFound, ValidationFailed

# A decision table by name and version (None: the latest), or None when the tenant has no such table.
Lookup = Callable[[str, int | None], DecisionTable | None]


def decide_steps(definition: Definition) -> Iterator[tuple[str, DecideStep]]:
    """Every decide step with its JSON pointer, nested ones included, in document order."""
    for path, step in iter_steps(definition):
        if isinstance(step, DecideStep):
            yield path, step


def key(name: str, version: int | None) -> str:
    """How a decide step's table is pinned in a run (``DslRun.decisions``): ``name@version``, or
    ``name@latest``; the interpreter looks it up the same way."""
    return f"{name}@{version}" if version is not None else f"{name}@latest"


def problems(definition: Definition, lookup: Lookup) -> list[tuple[str, str]]:
    """Each decide step names a table the tenant has, and its context holds every name the table's
    inputs read, so a missing name is refused before a process starts rather than failing midway.
    Each problem is ``(JSON pointer, message)``, as the definition validator's are."""
    found: list[tuple[str, str]] = []
    for path, step in decide_steps(definition):
        table = lookup(step.decision, step.version)
        if table is None:
            if step.version is not None and lookup(step.decision, None) is not None:
                message = f"decision '{step.decision}' has no version {step.version}"
                found.append((f"{path}/version", message))
            else:
                found.append((f"{path}/decision", f"unknown decision '{step.decision}'"))
            continue
        for name, read_by in sorted(context_names(table).items()):
            if name not in step.context:
                message = (
                    f"decision {table.name} v{table.version} reads '{name}' (input '{read_by}'); "
                    f"the context has no '{name}'"
                )
                found.append((f"{path}/context", message))
    return found


def context_names(table: DecisionTable) -> dict[str, str]:
    """The context names a table's dotted-path inputs read (``order`` of ``order.amount``), each with the
    first input reading it. A ``{{ }}`` input is left out: it may guard a name (``x is defined``), so only
    its evaluation can tell."""
    found: dict[str, str] = {}
    for item in table.inputs:
        source = item.expression.strip()
        if not expressions.is_expression(source):
            found.setdefault(source.split(".", 1)[0], item.name)
    return found


def lookup(session: Session, ctx: TenantContext) -> Lookup:
    """The tables the tenant sees (its own and the shipped ones); another tenant's are unknown."""

    def find(name: str, version: int | None) -> DecisionTable | None:
        try:
            # The compiled form: no YAML or static checks again, and it is what evaluating needs next.
            return service.compiled(session, ctx, name, version).table
        except NotFound:
            return None

    return find


def check_definition(session: Session, ctx: TenantContext, parsed: ParsedDefinition) -> None:
    """DefinitionInvalid (422) locating each decide step whose table is not there or reads a name its
    context lacks, as the parser locates its own problems (the source is read again only then)."""
    found = problems(parsed.definition, lookup(session, ctx))
    if found:
        locate = Locator(load(parsed.source, DEFINITION_LIMITS)[0])
        raise DefinitionInvalid(locate.problems(Problem(tuple(p.split("/")[1:]), m) for p, m in found))


def pin(session: Session, ctx: TenantContext, definitions: Iterable[Definition]) -> dict[str, int]:
    """The version of every table the decide steps of ``definitions`` (a process and the subprocesses it
    may start) evaluate, keyed by ``key``: resolved once, when the process starts, so a version published
    later does not change a running process. A table the tenant does not have, or whose inputs read a
    name the step's context lacks, refuses the start (422 naming the definition, the step and the table)."""
    return pin_from(lookup(session, ctx), definitions)


def pin_from(find: Lookup, definitions: Iterable[Definition]) -> dict[str, int]:
    """``pin`` over any source of tables (``keel definitions test`` reads them from files)."""
    tables: dict[str, DecisionTable] = {}

    def pinned(name: str, version: int | None) -> DecisionTable | None:
        if key(name, version) not in tables and (table := find(name, version)) is not None:
            tables[key(name, version)] = table
        return tables.get(key(name, version))

    fields = [
        FieldError("definition", f"{d.name} version {d.version}, {pointer}: {message}")
        for d in definitions
        for pointer, message in problems(d, pinned)
    ]
    if fields:
        raise ValidationFailed(fields, "A decision table the process evaluates is not available.")
    return {name: table.version for name, table in tables.items()}
