"""``keel import TYPE FILE``: upload a file through the REST API and follow the import with a progress bar.

The API key comes from ``KEEL_API_KEY``, or from the demo tenant's credentials that ``keel up`` writes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from keel.settings import Settings, default_home

BAR = 30


def add_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("import", help="import a CSV or JSON Lines file of records, with a progress bar")
    cmd.add_argument("type", help="the entity type (customer, patient…)")
    cmd.add_argument("file", type=Path)
    cmd.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="COLUMN=ATTRIBUTE",
        help="map a column to an attribute, external_id or status (repeatable); COLUMN= drops it",
    )
    cmd.add_argument("--mode", choices=["insert", "upsert"], default="insert", help="upsert: by external_id")
    cmd.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file name")
    cmd.add_argument("--on-duplicate", choices=["allow", "reject"], default="allow")
    cmd.add_argument("--api-url", help="default: the API of the running stack")
    cmd.set_defaults(func=_cmd_import)


def api_key(settings: Settings) -> str | None:
    key = os.environ.get("KEEL_API_KEY")
    if key:
        return key
    demo = default_home() / "demo.json"
    if demo.is_file():
        value = json.loads(demo.read_text()).get("api_key")
        return str(value) if value else None
    return None


def _mapping(pairs: list[str]) -> dict[str, str | None] | None:
    out: dict[str, str | None] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        if not sep or not column:
            raise ValueError(f"--mapping {pair!r}: write COLUMN=ATTRIBUTE")
        out[column] = target or None
    return out or None


def _cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    import httpx

    key = api_key(settings)
    if key is None:
        print(
            "error: set KEEL_API_KEY (or start the stack with `keel up` for the demo tenant)", file=sys.stderr
        )
        return 1
    try:
        mapping = _mapping(args.mapping)
        content = args.file.read_bytes()
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fields = {"mode": args.mode, "on_duplicate": args.on_duplicate}
    if args.format:
        fields["format"] = args.format
    if mapping:
        fields["mapping"] = json.dumps(mapping)
    base = args.api_url or settings.api_url
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
        try:
            r = http.post(
                f"/api/v1/entities/{args.type}/import", files={"file": (args.file.name, content)}, data=fields
            )
        except httpx.HTTPError as exc:
            print(f"error: cannot reach the API at {base}: {exc}", file=sys.stderr)
            return 1
        if r.status_code != 202:
            _print_error(r)
            return 1
        location = r.headers["location"]
        out = r.json()["data"]
        while out["status"] not in ("completed", "failed"):
            _draw(out)
            time.sleep(0.5)
            out = http.get(location).json()["data"]
    _draw(out)
    print(file=sys.stderr)
    print(
        f"{out['status']}: {out['rows_ok']} imported, {out['rows_failed']} failed of {out['rows_read']} rows"
        + (f" in {out['duration_ms'] / 1000:.1f} s" if out.get("duration_ms") else "")
    )
    if out["rows_failed"]:
        print(f"failed rows and reasons: {base}{location}/errors?format=csv")
    if out.get("error"):
        print(f"error: {out['error']}", file=sys.stderr)
    return 0 if out["status"] == "completed" else 1


def _draw(out: dict[str, Any]) -> None:
    total = out.get("rows_total")
    done = out["rows_ok"] + out["rows_failed"]
    share = done / total if total else 0.0
    filled = int(share * BAR)
    counts = f"{done:,}/{total:,} rows" if total is not None else "reading the file"
    line = f"\r[{'#' * filled}{'-' * (BAR - filled)}] {share:4.0%} {counts}  ok {out['rows_ok']:,}"
    print(line + f"  failed {out['rows_failed']:,} ", end="", file=sys.stderr, flush=True)


def _print_error(r: Any) -> None:
    try:
        error = r.json()["error"]
    except (ValueError, KeyError):
        print(f"error: HTTP {r.status_code}: {r.text[:500]}", file=sys.stderr)
        return
    print(f"error: {error['message']}", file=sys.stderr)
    for field in error.get("details", {}).get("fields", []):
        print(f"  {field.get('field')}: {field.get('message')}", file=sys.stderr)
