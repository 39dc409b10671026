"""What the records pages show of a type and its records: the table's columns, a record's title, the
facets as links, the filters a page address asks for, and a version's diff as rows. Pure functions."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from db.models import EntityType
from domain.search.indexing import Layout

COLUMNS = 4  # attributes shown in the table besides the status
SCALARS = ("string", "integer", "number", "boolean")


def properties(etype: EntityType) -> dict[str, Any]:
    props = (etype.schema or {}).get("properties")
    if not isinstance(props, dict):
        return {}
    return {str(k): v if isinstance(v, dict) else {} for k, v in props.items()}


def label_of(etype: EntityType, name: str) -> str:
    """An attribute's title in the type's schema, else its name."""
    title = properties(etype).get(name, {}).get("title")
    return title if isinstance(title, str) and title else name


def order(etype: EntityType) -> list[str]:
    """The type's attributes in the order a reader meets them: the searched fields (what a record is
    recognised by), the required ones, the plain ones, the rest. (The stored schema keeps no order.)"""
    props = properties(etype)
    searched = [str(f) for f in (etype.search or {}).get("fields", []) if f in props]
    required = [str(f) for f in (etype.schema or {}).get("required", []) or [] if f in props]
    plain = [n for n, p in props.items() if p.get("type") in SCALARS]
    return list(dict.fromkeys([*searched, *required, *plain, *props]))


def columns(etype: EntityType) -> list[dict[str, str]]:
    """The table's attributes: the first ``COLUMNS`` in reading order."""
    return [{"name": n, "label": label_of(etype, n)} for n in order(etype)[:COLUMNS]]


def fields(etype: EntityType, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A form's fields (``forms.fields``) in reading order."""
    rank = {name: i for i, name in enumerate(order(etype))}
    return sorted(found, key=lambda f: rank.get(f["name"], len(rank)))


def title(etype: EntityType, attributes: Mapping[str, Any], fallback: str) -> str:
    """How a record is named on its page and in links: its first non-empty column, else ``fallback``."""
    for column in columns(etype):
        value = attributes.get(column["name"])
        if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value).strip():
            return str(value)[:200]
    return fallback


def plain(words: Mapping[str, str], value: Any) -> str:
    """A value as text: yes/no for booleans, a list joined by commas, an object as JSON."""
    if value is None or value == "":
        return words["records_none"]
    if isinstance(value, bool):
        return words["records_yes" if value else "records_no"]
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(plain(words, v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def written(value: Any, kind: str) -> str:
    """A value as its form input holds it: JSON for objects and lists, text otherwise."""
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, indent=2)
    return str(value).lower() if isinstance(value, bool) else str(value)


def facet_names(etype: EntityType, lay: Layout) -> list[str]:
    """The facets the search endpoint counts for this type: its declared ones, and the status when the
    type has statuses."""
    declared = [str(f) for f in (etype.search or {}).get("facets", []) if f in lay.facets]
    return list(dict.fromkeys([*declared, *(["status"] if etype.statuses else [])]))


def typed(kind: str, raw: str) -> str | int | float | bool | None:
    """A facet value from a page address as the search endpoint's filter takes it, or None if it is no
    value of the field's kind (the filter is then left out rather than refused)."""
    base = kind.removesuffix("[]")
    try:
        if base == "bool":
            return {"true": True, "false": False}.get(raw)
        if base == "int64":
            return int(raw)
        if base == "float":
            number = float(raw)
            return number if math.isfinite(number) else None
    except ValueError:
        return None
    return raw if raw and "`" not in raw else None


def chosen_filters(query: Iterable[tuple[str, str]], lay: Layout, names: list[str]) -> dict[str, str]:
    """``filter[<facet>]=<value>`` pairs of a page address: one value per facet, facets only."""
    out: dict[str, str] = {}
    for key, raw in query:
        if key.startswith("filter[") and key.endswith("]"):
            name = key[7:-1]
            kind = lay.filterable.get(name)
            if name in names and kind and len(raw) <= 200 and typed(kind, raw) is not None:
                out[name] = raw
    return out


def address(type_name: str, q: str, filters: Mapping[str, str]) -> str:
    """The table page's address for a query and filters (what a facet link and the search box lead to)."""
    pairs = ([("q", q)] if q else []) + [(f"filter[{k}]", v) for k, v in filters.items()]
    return f"/app/records/{type_name}" + (f"?{urlencode(pairs)}" if pairs else "")


def facets(
    etype: EntityType,
    names: list[str],
    counts: Mapping[str, list[Any]],
    q: str,
    chosen: Mapping[str, str],
    words: Mapping[str, str],
) -> list[dict[str, Any]]:
    """Each facet's values with their counts and the link that filters by it (or, when chosen, drops it)."""
    out = []
    for name in names:
        values = []
        for item in counts.get(name, []):
            picked = chosen.get(name) == item.value
            rest = {k: v for k, v in chosen.items() if k != name}
            to = rest if picked else rest | {name: item.value}
            shown = {"true": words["records_yes"], "false": words["records_no"]}.get(item.value, item.value)
            values.append(
                {
                    "value": item.value,
                    "shown": shown,
                    "count": item.count,
                    "chosen": picked,
                    "href": address(etype.name, q, to),
                }
            )
        label = words["status"] if name == "status" else label_of(etype, name)
        out.append({"name": name, "label": label, "options": values})
    return out


def changes(etype: EntityType, diff: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A version's diff (``{"attributes.city": [old, new], "status": [old, new]}``) as rows."""
    rank = {f"attributes.{name}": i for i, name in enumerate(order(etype))}
    rows = []
    for key, pair in sorted(diff.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])):
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        name = key.removeprefix("attributes.")
        rows.append({"field": key, "label": label_of(etype, name), "before": before, "after": after})
    return rows
