"""Forms from JSON Schemas: what inputs a page shows for a task's form or a definition's input. The
API checks what is sent against the whole schema; these inputs only help to write it."""

from __future__ import annotations

from typing import Any


def fields(form: Any) -> list[dict[str, Any]]:
    """The inputs of a form from a JSON Schema's top-level properties (a task's form, a definition's
    input): name, label, kind (text, number, integer, checkbox, select, date; ``json`` for an object or
    a list, written as JSON), its choices and whether it is required."""
    if not isinstance(form, dict) or not isinstance(form.get("properties"), dict):
        return []
    required = set(form.get("required") or [])
    out = []
    for name, spec in list(form["properties"].items())[:50]:
        spec = spec if isinstance(spec, dict) else {}
        kind = spec.get("type")
        shown = {"boolean": "checkbox", "number": "number", "integer": "integer"}.get(str(kind), "text")
        if isinstance(spec.get("enum"), list):
            shown = "select"
        elif kind in ("object", "array") or isinstance(kind, list):
            shown = "json"
        elif spec.get("format") == "date":
            shown = "date"
        label = spec.get("title") if isinstance(spec.get("title"), str) else name
        out.append(
            {
                "name": str(name),
                "label": label,
                "kind": shown,
                "choices": [str(c) for c in spec.get("enum", [])][:100] if shown == "select" else [],
                "required": name in required,
                "help": spec.get("description") if isinstance(spec.get("description"), str) else None,
            }
        )
    return out
