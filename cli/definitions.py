"""``keel definitions validate | graph | test``: work on YAML process definitions without a running stack."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from domain.definitions.errors import DefinitionInvalid
from keel.settings import Settings

if TYPE_CHECKING:
    from cli.scenario_report import ScenarioReport


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register ``definitions`` and its subcommands on the ``keel`` parser."""
    definitions = sub.add_parser("definitions", help="validate, draw and test YAML process definitions")
    commands = definitions.add_subparsers(dest="definitions_command", required=True)

    validate = commands.add_parser("validate", help="check definition files; errors as PATH:LINE:COL")
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(func=_cmd_validate)

    graph = commands.add_parser("graph", help="print a definition as a Mermaid flowchart")
    graph.add_argument("target", metavar="NAME_OR_PATH", help="a file, or the name of a shipped definition")
    graph.set_defaults(func=_cmd_graph)

    test = commands.add_parser(
        "test", help="run a definition against scenarios on Temporal's time-skipping test server"
    )
    test.add_argument("path", type=Path, metavar="PATH")
    test.add_argument(
        "--scenario",
        dest="scenarios",
        action="append",
        type=Path,
        metavar="S.yaml",
        help="a scenario file (repeatable); default: scenarios/<name>.*.yaml next to the definition",
    )
    test.add_argument(
        "--record-histories",
        type=Path,
        metavar="DIR",
        help="write the history of each passing run to DIR/dsl_<name>_<case>.json (for replay tests)",
    )
    test.set_defaults(func=_cmd_test)


def error_lines(path: Path, error: DefinitionInvalid) -> list[str]:
    """``PATH:LINE:COL: message`` per problem of a YAML document (a definition, a decision table…)."""
    lines = []
    for problem in error.errors:
        where = f"{path}:{problem.line}:{problem.column}" if problem.line is not None else str(path)
        lines.append(f"{where}: {problem.message}")
    return lines


# -- validate -----------------------------------------------------------------------------------------------


def _cmd_validate(_settings: Settings, args: argparse.Namespace) -> int:
    from cli.scenario_definitions import activity_names, load_definition

    known = activity_names()
    invalid = 0
    for path in args.paths:
        try:
            parsed = load_definition(path, known_activities=known)
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}")
            invalid += 1
            continue
        except DefinitionInvalid as exc:
            print("\n".join(error_lines(path, exc)))
            invalid += 1
            continue
        d = parsed.definition
        print(f"{path}: ok {d.name} v{d.version} sha256={parsed.sha256}")
    return 1 if invalid else 0


# -- graph --------------------------------------------------------------------------------------------------


def _shipped_file(folder: Path, name: str) -> Path | None:
    """The file of the highest version of shipped definition ``name``."""
    from cli.scenario_definitions import sibling_definitions

    versions = {version: path for (n, version), path in sibling_definitions(folder).items() if n == name}
    return versions[max(versions)] if versions else None


def _cmd_graph(settings: Settings, args: argparse.Namespace) -> int:
    from cli.scenario_definitions import load_definition
    from domain.definitions.graph import mermaid

    target = Path(args.target)
    # A name is looked up among the shipped definitions; anything that exists or looks like a file is a path.
    is_path = target.exists() or target.suffix in (".yaml", ".yml") or len(target.parts) > 1
    path = target if is_path else _shipped_file(settings.shipped_definitions, args.target)
    if path is None:
        print(f"error: no shipped definition named '{args.target}' in {settings.shipped_definitions}")
        return 1
    try:
        parsed = load_definition(path)
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}")
        return 1
    except DefinitionInvalid as exc:
        print("\n".join(error_lines(path, exc)))
        return 1
    print(mermaid(parsed.definition), end="")
    return 0


# -- test ---------------------------------------------------------------------------------------------------


def _default_scenarios(path: Path) -> list[Path]:
    from cli.scenario_definitions import sibling_definitions

    names = [name for (name, _), p in sibling_definitions(path.parent).items() if p == path]
    stem = names[0] if names else path.stem
    return sorted((path.parent / "scenarios").glob(f"{stem}.*.yaml"))


def _cmd_test(_settings: Settings, args: argparse.Namespace) -> int:
    scenarios: list[Path] = args.scenarios or _default_scenarios(args.path)
    if not scenarios:
        print(f"error: no scenario given and none in {args.path.parent / 'scenarios'}")
        return 1
    # Mocked failures and time-outs are expected here; the SDK's warnings about them would only be noise.
    logging.getLogger("temporalio").setLevel(logging.ERROR)
    code = asyncio.run(_run_all(args.path, scenarios, args.record_histories))
    # The SDK's workers and clients sit in reference cycles; collected during interpreter shutdown, their
    # native parts can abort the process, so collect them while Python is fully alive.
    gc.collect()
    return code


def _record(folder: Path, report: ScenarioReport) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{report.workflow_id}.json"
    target.write_text(report.history or "")
    print(f"  history: {target}")


async def _run_all(path: Path, scenarios: list[Path], histories: Path | None) -> int:
    from cli.scenario_format import ScenarioInvalid
    from cli.scenarios import run_scenario, start_environment

    failed = 0
    async with await start_environment() as env:
        for scenario in scenarios:
            try:
                report = await run_scenario(path, scenario, env=env)
            except DefinitionInvalid as exc:
                print("\n".join(error_lines(path, exc)))
                return 1
            except (ScenarioInvalid, OSError) as exc:
                print(f"FAIL {scenario.name}\n  - {exc}")
                failed += 1
                continue
            print(report.summary())
            failed += not report.passed
            if histories is not None and report.passed and report.history and report.workflow_id:
                _record(histories, report)
    print(f"{len(scenarios) - failed} passed, {failed} failed")
    return 1 if failed else 0
