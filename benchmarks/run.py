"""Every benchmark, one table: `make bench` runs them all, `make bench-quick` a smoke run.

Each benchmark script runs as its own process (its output streamed as it comes) with
KEEL_BENCH_RESULTS naming a scratch file, to which it records its headline figures
(``results.record``). A script that fails, or runs past ``--timeout`` (then interrupted, so its
stack stops), is reported and the others still run; the exit status is then 1. At the end the
figures go to ``benchmarks/results.json`` (with the date, the core count and the machine) and to the
README's table between ``<!-- bench:start -->`` and ``<!-- bench:end -->``: each figure with its
same-run baseline, the ratio and the target.

``--quick`` gives each script its ``--quick`` sizes and runs only QUICK (process_throughput,
dsl_overhead, entities, scheduling): about 2.5 minutes on the 2-core machine, under 3, for the
developer loop (decisions and webhook_latency, at their quick sizes, took it past 3). Its figures
come from small runs and are only a smoke check; the full run (every script, default sizes) gives the
figures to compare. ``--only`` names the scripts to run (with or without ``--quick``); the table then
holds theirs alone.

    .venv/bin/python benchmarks/run.py [--quick] [--only name ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from results import ENV

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = ROOT / "README.md"
RESULTS = HERE / "results.json"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# Every benchmark script, in the order a full run takes them (stack.py, handwritten.py,
# bare_insert.py, results.py and this file are helpers).
BENCHMARKS = (
    "process_throughput",
    "dsl_overhead",
    "entities",
    "scheduling",
    "decisions",
    "notifications",
    "webhook_latency",
    "console",
    "analytics",
    "billing",
    "documents",
    "invoices",
    "subscriptions",
)
# The quick set: processes, the interpreter, records and scheduling, each at its --quick sizes.
QUICK = ("process_throughput", "dsl_overhead", "entities", "scheduling")


@dataclass
class Run:
    name: str
    status: int
    seconds: float


TIMED_OUT = 124  # the status a script past its time is reported with (as timeout(1) does)


def run_one(name: str, quick: bool, scratch: Path, timeout: float) -> Run:
    command = [sys.executable, str(HERE / f"{name}.py"), *(["--quick"] if quick else [])]
    print(f"\n=== {name}{' (quick)' if quick else ''} ===", flush=True)
    started = time.monotonic()
    try:
        child = subprocess.Popen(command, cwd=ROOT, env=os.environ | {ENV: str(scratch)})
    except OSError as exc:
        print(f"{name} could not start: {exc}", flush=True)
        return Run(name, 127, 0.0)
    try:
        status = child.wait(timeout)
    except subprocess.TimeoutExpired:
        # SIGINT, not SIGTERM: the script's finally blocks stop its private stack.
        print(f"=== {name}: still running after {timeout:.0f} s, interrupted ===", flush=True)
        child.send_signal(signal.SIGINT)
        try:
            child.wait(60)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        status = TIMED_OUT
    took = time.monotonic() - started
    outcome = "ok" if status == 0 else "TIMED OUT" if status == TIMED_OUT else f"FAILED (exit {status})"
    print(f"=== {name}: {outcome} in {took:.0f} s ===", flush=True)
    return Run(name, status, took)


def number(value: float | None) -> str:
    """About three significant digits; thousands grouped."""
    if value is None:
        return "n/a"
    size = abs(value)
    if size >= 100:
        return f"{value:,.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def ratio_text(ratio: float | None) -> str:
    if ratio is None:
        return ""
    return f"{ratio:.2f}" if 0.1 <= ratio < 10 else number(ratio)


def with_unit(value: float | None, unit: str) -> str:
    return f"{number(value)} {unit}" if value is not None else "n/a"


def target_text(figure: dict[str, Any]) -> str:
    sign = "≥" if figure["better"] == "higher" else "≤"
    parts = []
    if figure["target"] is not None:
        parts.append(f"{sign} {figure['target']:,g} {figure['unit']}")
    if figure["ratio_target"] is not None:
        parts.append(f"ratio {sign} {figure['ratio_target']:g}")
    return ", ".join(parts)


def table(report: dict[str, Any]) -> str:
    minutes, seconds = divmod(round(report["wall_seconds"]), 60)
    command = report["command"]
    ran = ", ".join(f"{r['name']} ({r['seconds']:.0f} s)" for r in report["runs"])
    lines = [
        f"`{command}` on {report['date'][:16].replace('T', ' ')} UTC, {report['cores']} cores "
        f"({report['machine']['system']} {report['machine']['machine']}, Python "
        f"{report['machine']['python']}), {minutes} min {seconds:02d} s"
        + (": quick sizes, a smoke check, not figures to compare." if report["quick"] else ".")
        + f" Ran: {ran}.",
    ]
    failed = [r for r in report["runs"] if r["status"] != 0]
    if failed:
        lines.append("Failed: " + ", ".join(f"{r['name']} (exit {r['status']})" for r in failed) + ".")
        if any(r["status"] == TIMED_OUT for r in failed):
            lines.append(f"(exit {TIMED_OUT}: stopped at the time limit.)")
    lines += [
        "",
        "| benchmark | measure | value | better | baseline (same run) | ratio | target | met |",
        "|---|---|--:|---|---|--:|---|---|",
    ]
    for f in report["figures"]:
        baseline = f"{f['baseline_name'] or 'baseline'}: {with_unit(f['baseline'], f['unit'])}"
        verdict = {True: "yes", False: "**no**", None: ""}[f["met"]]
        lines.append(
            f"| {f['benchmark']} | {f['measure']} | {with_unit(f['value'], f['unit'])} | {f['better']} | "
            f"{baseline if f['baseline'] is not None else ''} | {ratio_text(f['ratio'])} | "
            f"{target_text(f)} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} … {END} markers: the table is only in {RESULTS.name}")
    README.write_text(f"{head}{START}\n{text}{END}{tail}", encoding="utf-8")


def command(quick: bool, only: list[str] | None) -> str:
    """The command that ran, as the table names it."""
    if only:
        return " ".join(["benchmarks/run.py", *(["--quick"] if quick else []), "--only", *only])
    return "make bench-quick" if quick else "make bench"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="the quick set at its --quick sizes")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, metavar="NAME", help="these scripts alone")
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds a script may run (default 300 quick, 3600 full)"
    )
    args = parser.parse_args()
    names = args.only or (QUICK if args.quick else BENCHMARKS)
    date = datetime.now(UTC)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="keel-bench-results-") as tmp:
        scratch = Path(tmp) / "figures.jsonl"
        scratch.touch()
        timeout = args.timeout or (300 if args.quick else 3600)
        runs = [run_one(name, args.quick, scratch, timeout) for name in names]
        figures = [json.loads(line) for line in scratch.read_text(encoding="utf-8").splitlines() if line]
    report: dict[str, Any] = {
        "date": date.isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "machine": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
            "processor": platform.processor() or None,
            "python": platform.python_version(),
        },
        "quick": args.quick,
        "command": command(args.quick, args.only),
        "wall_seconds": round(time.monotonic() - started, 1),
        "runs": [{"name": r.name, "status": r.status, "seconds": round(r.seconds, 1)} for r in runs],
        "figures": figures,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table(report)
    print("\n" + text)
    write_readme(text)
    failed = [r.name for r in runs if r.status != 0]
    print(
        f"{len(figures)} figures in {report['wall_seconds']:.0f} s; written to {RESULTS.name} and README.md"
    )
    if failed:
        print(f"failed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
