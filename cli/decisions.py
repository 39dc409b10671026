"""``keel decisions validate | render | test``: work on YAML decision tables without a running stack."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cli.definitions import error_lines
from domain.decisions.errors import DecisionInvalid
from domain.errors import ValidationFailed
from keel.settings import Settings

if TYPE_CHECKING:
    from domain.decisions.parser import ParsedDecision

MAX_CASES_BYTES = 10 * 1024 * 1024
MAX_CASES = 10_000
EXPLAINED_RULES = 20  # rules shown under a failed case; a long table is summarised


class Case(BaseModel):
    """One expectation: the table's ``outputs`` for ``context``."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    context: dict[str, Any]
    expect: Any = Field(description="the expected outputs: an object, a list of them, or null")


class CasesInvalid(Exception):
    """A cases file that cannot be read as a list of cases."""


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``decisions`` and its subcommands on the ``keel`` parser."""
    decisions = sub.add_parser("decisions", help="validate, render and test YAML decision tables")
    commands = decisions.add_subparsers(dest="decisions_command", required=True)

    validate = commands.add_parser(
        "validate", help="check decision tables; errors as PATH:LINE:COL, and the checks' warnings"
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(func=_cmd_validate)

    render = commands.add_parser("render", help="print a decision table as Markdown or HTML")
    render.add_argument("path", metavar="PATH_OR_NAME", help="a YAML file, or the name of a shipped table")
    render.add_argument("--format", choices=("markdown", "html"), default="markdown")
    render.set_defaults(func=_cmd_render)

    test = commands.add_parser("test", help="evaluate a decision table on cases and compare the outputs")
    test.add_argument("path", type=Path, metavar="PATH")
    test.add_argument(
        "--cases",
        required=True,
        type=Path,
        metavar="CASES.yaml",
        help="a list of {name?, context, expect}: expect is the expected outputs",
    )
    test.set_defaults(func=_cmd_test)


def _load(path: Path) -> ParsedDecision:
    from domain.decisions.parser import parse

    return parse(path.read_bytes())


def _loaded(path: Path) -> ParsedDecision | None:
    """The parsed table, or None after printing why it is not one."""
    try:
        return _load(path)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}")
    except DecisionInvalid as exc:
        print("\n".join(error_lines(path, exc)))
    return None


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _warning_line(path: Path, warning: Mapping[str, Any]) -> str:
    """A warning on one line; its message already names the witness (the input values that show it)."""
    rules = ", ".join(str(n) for n in warning.get("rules") or [])
    line = f"{path}: warning: {warning['kind']}: {warning['message']}"
    return line + (f" (rules {rules})" if rules else "")


# -- validate -----------------------------------------------------------------------------------------------


def _cmd_validate(_settings: Settings, args: argparse.Namespace) -> int:
    invalid = 0
    for path in args.paths:
        parsed = _loaded(path)
        if parsed is None:
            invalid += 1
            continue
        t = parsed.table
        count = len(parsed.warnings)
        print(
            f"{path}: ok {t.name} v{t.version} sha256={parsed.sha256}"
            + (f" ({count} warning{'s' * (count != 1)})" if count else "")
        )
        for warning in parsed.warnings:
            print(_warning_line(path, warning))
    return 1 if invalid else 0


# -- render -------------------------------------------------------------------------------------------------


def _cmd_render(_settings: Settings, args: argparse.Namespace) -> int:
    from domain.decisions.render import html, markdown
    from domain.decisions.service import SHIPPED_DIR, shipped

    target = Path(args.path)
    # A name is looked up among the shipped tables (the latest version); anything that exists or looks
    # like a file is a path.
    if target.exists() or target.suffix in (".yaml", ".yml") or len(target.parts) > 1:
        parsed = _loaded(target)
    elif (versions := shipped().get(args.path)) is not None:
        parsed = versions[max(versions)]
    else:
        print(f"error: no shipped decision table named '{args.path}' in {SHIPPED_DIR}")
        return 1
    if parsed is None:
        return 1
    out = html(parsed.table) if args.format == "html" else markdown(parsed.table)
    print(out, end="" if out.endswith("\n") else "\n")
    return 0


# -- test ---------------------------------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    """YAML's dates and times as the ISO strings a JSON request would carry."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return value


def load_cases(path: Path) -> list[Case]:
    """The cases of ``path``: a YAML list of ``{name?, context, expect}``."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CasesInvalid(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_CASES_BYTES:
        raise CasesInvalid(f"larger than {MAX_CASES_BYTES} bytes")
    try:
        found = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CasesInvalid(f"not YAML: {exc}") from None
    if not isinstance(found, list) or not found:
        raise CasesInvalid("expected a list of cases, each {name?, context, expect}")
    if len(found) > MAX_CASES:
        raise CasesInvalid(f"at most {MAX_CASES} cases")
    cases = []
    for number, item in enumerate(found, 1):
        try:
            cases.append(Case.model_validate(_json_safe(item)))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'case'}: {e['msg']}" for e in exc.errors()
            )
            raise CasesInvalid(f"case {number}: {problems}") from None
    return cases


def _explained(answer: Mapping[str, Any]) -> list[str]:
    """Why the rules matched or not, a line each (the first rules of a long table)."""
    lines = [f"  matched: {', '.join(map(str, answer['matched'])) or 'no rule'} ({answer['hit_policy']})"]
    for row in answer["explanation"][:EXPLAINED_RULES]:
        text = f"  rule {row['rule']}"
        if row.get("description"):
            text += f" ({row['description']})"
        failed = row.get("failed")
        if row["matched"]:
            text += ": matched"
        elif failed:
            text += f": {failed['input']} = {_shown(failed['value'])} is not {failed['cell']}"
        lines.append(text)
    hidden = len(answer["explanation"]) - EXPLAINED_RULES
    if hidden > 0:
        lines.append(f"  … and {hidden} more rules")
    return lines


def _run_case(parsed: ParsedDecision, number: int, case: Case) -> bool:
    title = case.name or f"case {number}"
    try:
        answer = parsed.compiled.evaluate(case.context)
    except ValidationFailed as exc:  # a missing input, a value of the wrong type, conflicting rules
        fields = "; ".join(f"{f['field']}: {f['message']}" for f in exc.details.get("fields", []))
        said = fields if fields and fields not in exc.message else ""  # the message often says them
        print(f"FAIL {title}\n  error: {exc.message}" + (f" ({said})" if said else ""))
        return False
    expected = case.expect
    if answer["outputs"] == expected:
        print(f"PASS {title}")
        return True
    print(f"FAIL {title}")
    print(f"  expected: {_shown(expected)}")
    print(f"  got:      {_shown(answer['outputs'])}")
    print("\n".join(_explained(answer)))
    return False


def _cmd_test(_settings: Settings, args: argparse.Namespace) -> int:
    parsed = _loaded(args.path)
    if parsed is None:
        return 1
    try:
        cases = load_cases(args.cases)
    except CasesInvalid as exc:
        print(f"{args.cases}: {exc}")
        return 1
    failed = sum(not _run_case(parsed, number, case) for number, case in enumerate(cases, 1))
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0
