"""Searching a tenant's records: one Typesense request per search, one analytics row.

The collection searched is derived from the caller's tenant (``indexing.alias_name``); the request
only names an entity type of that tenant. Filters, facets and sorting are accepted on the type's
declared search fields and facets (and the built-in status, external_id, created_at, updated_at).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from adapters.search import MULTI_SEARCH_LIMIT, SearchIndex, SearchRejected, SearchUnavailable, StaleIndex
from db.models.entities import EntityType
from domain.context import TenantContext
from domain.errors import FieldError, Unavailable, ValidationFailed
from domain.search import analytics, indexing
from domain.search.indexing import ATTRIBUTES, Layout
from domain.search.schemas import EntitySearchIn, FacetValue, FederatedIn, Hit, SearchResult, Suggestion

RANGE_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
OPS = {*RANGE_OPS, "eq", "ne", "in"}
MAX_SORT_KEYS = 3
MAX_FACET_VALUES = 20
NUMERIC = ("int64", "float")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
FLOAT_MAX = 3.4028234663852886e38  # Typesense stores float fields in 32 bits
MAX_FILTER_VALUES = 250


def search(
    session: Session, ctx: TenantContext, index: SearchIndex, type_name: str, body: EntitySearchIn
) -> SearchResult:
    ctx.require("entities:read")
    etype = indexing.searchable_type(session, ctx, type_name)
    lay = indexing.layout(etype)
    params = {
        **_text(lay, body.q),
        "filter_by": _filter_by(etype, lay, body.filters),
        "facet_by": ",".join(_facets(etype, lay, body.facets)),
        "sort_by": _sort_by(etype, lay, body.sort, body.q),
        "page": body.page,
        "per_page": body.limit,
        "max_facet_values": MAX_FACET_VALUES,
    }
    params = {k: v for k, v in params.items() if v not in ("", None)}
    used = {*body.filters, *body.facets, *_sort_fields(params.get("sort_by", ""))}
    started = time.perf_counter()
    result = _search(index, indexing.alias_name(ctx.tenant_id, etype.name), etype, lay, params, used)
    took_ms = int((time.perf_counter() - started) * 1000)
    hits = [_hit(etype.name, h) for h in (result or {}).get("hits", [])]
    found = int((result or {}).get("found", 0))
    facets = {
        f["field_name"]: [FacetValue(value=str(c["value"]), count=int(c["count"])) for c in f["counts"]]
        for f in (result or {}).get("facet_counts", [])
    }
    query_id = analytics.log_query(session, ctx, body.q, [etype.name], found, took_ms)
    return SearchResult(
        hits=hits,
        found=found,
        page=body.page,
        per_page=body.limit,
        facets=facets,
        took_ms=took_ms,
        query_id=query_id,
    )


def autocomplete(
    session: Session, ctx: TenantContext, index: SearchIndex, type_name: str, q: str, limit: int = 5
) -> list[Suggestion]:
    """Records whose text fields start with (or nearly match) what was typed so far."""
    ctx.require("entities:read")
    if not q.strip():
        raise ValidationFailed.one("q", "type at least one character")
    etype = indexing.searchable_type(session, ctx, type_name)
    lay = indexing.layout(etype)
    if not lay.query_by:
        raise ValidationFailed.one("q", f"entity type '{etype.name}' declares no text search fields")
    params = {**_text(lay, q), "per_page": max(1, min(limit, 20)), "prefix": "true"}
    result = _search(index, indexing.alias_name(ctx.tenant_id, etype.name), etype, lay, params, set())
    out = []
    for hit in (result or {}).get("hits", []):
        doc = hit["document"]
        for h in hit.get("highlights", []):
            value = doc.get(h["field"])
            text = value if isinstance(value, str) else ", ".join(map(str, value or []))
            snippet = h.get("snippet") or ", ".join(h.get("snippets", []))
            out.append(Suggestion(id=doc["id"], field=h["field"], text=text, highlighted=snippet))
            break
    return out


def federated(session: Session, ctx: TenantContext, index: SearchIndex, body: FederatedIn) -> SearchResult:
    """One query over several types (all the tenant's searchable ones by default), best hits first."""
    ctx.require("entities:read")
    types = _types_of(session, ctx, body.types)
    plans = []
    for etype in types:
        lay = indexing.layout(etype)
        if not lay.query_by:
            continue
        alias = indexing.alias_name(ctx.tenant_id, etype.name)
        plans.append((etype, lay, {"collection": alias, **_text(lay, body.q), "per_page": body.limit}))
    started = time.perf_counter()
    results: list[dict[str, Any] | None] = []
    # Typesense takes at most MULTI_SEARCH_LIMIT searches per request: a tenant may have more types.
    for start in range(0, len(plans), MULTI_SEARCH_LIMIT):
        batch = plans[start : start + MULTI_SEARCH_LIMIT]
        try:
            results += index.multi_search([search for _, _, search in batch])
        except StaleIndex:
            # An index is being rebuilt for new settings: ask each type alone, with its fallback.
            for etype, lay, search in batch:
                params = {k: v for k, v in search.items() if k != "collection"}
                results.append(_search(index, search["collection"], etype, lay, params, set()))
        except (SearchUnavailable, SearchRejected) as exc:
            raise _down() from exc
    took_ms = int((time.perf_counter() - started) * 1000)
    hits: list[Hit] = []
    per_type: dict[str, int] = {}
    for etype, result in zip((t for t in types if indexing.layout(t).query_by), results, strict=True):
        per_type[etype.name] = int((result or {}).get("found", 0))
        hits.extend(_hit(etype.name, h) for h in (result or {}).get("hits", []))
    hits.sort(key=lambda h: h.score, reverse=True)
    found = sum(per_type.values())
    query_id = analytics.log_query(session, ctx, body.q, [t.name for t in types], found, took_ms)
    return SearchResult(
        hits=hits[: body.limit],
        found=found,
        page=1,
        per_page=body.limit,
        per_type=per_type,
        took_ms=took_ms,
        query_id=query_id,
    )


# -- building the request -------------------------------------------------------------------------


def _text(lay: Layout, q: str) -> dict[str, Any]:
    q = q.strip()
    # A type with facets only still answers "*" (everything, filtered), on its status field.
    query_by = lay.query_by or ["status"]
    return {
        "q": q or "*",
        "query_by": ",".join(query_by),
        "highlight_fields": ",".join(lay.query_by) if lay.query_by else "none",
    }


def _declared(etype: EntityType, lay: Layout) -> str:
    return ", ".join(sorted(lay.filterable)) or "none"


def _filter_by(etype: EntityType, lay: Layout, filters: dict[str, Any]) -> str:
    errors: list[FieldError] = []
    clauses: list[str] = []
    for name, spec in filters.items():
        pointer = f"/filters/{name}"
        kind = lay.filterable.get(name)
        if kind is None:
            errors.append(
                FieldError(
                    pointer,
                    f"'{name}' is not a search field or facet of '{etype.name}' "
                    f"(filterable: {_declared(etype, lay)})",
                )
            )
            continue
        ops = spec if isinstance(spec, dict) else {"in" if isinstance(spec, list) else "eq": spec}
        if not ops:
            errors.append(FieldError(pointer, "give a value or at least one operator"))
        for op, value in ops.items():
            clause = _clause(name, kind, op, value, f"{pointer}/{op}" if isinstance(spec, dict) else pointer)
            if isinstance(clause, FieldError):
                errors.append(clause)
            else:
                clauses.append(clause)
    if errors:
        raise ValidationFailed(errors, "Some filters are not valid.")
    return " && ".join(clauses)


def _clause(name: str, kind: str, op: str, value: Any, pointer: str) -> str | FieldError:
    if op not in OPS:
        return FieldError(pointer, f"unknown operator '{op}' (use one of {', '.join(sorted(OPS))})")
    base = kind.removesuffix("[]")
    if op in RANGE_OPS:
        if base not in NUMERIC:
            return FieldError(pointer, f"'{op}' applies to numbers and dates; '{name}' is text")
        literal = _literal(base, name, value, pointer)
        return literal if isinstance(literal, FieldError) else f"{name}:{RANGE_OPS[op]}{literal}"
    values = value if isinstance(value, list) else [value]
    if not values:
        return FieldError(pointer, "give at least one value")
    if len(values) > MAX_FILTER_VALUES:
        return FieldError(pointer, f"at most {MAX_FILTER_VALUES} values")
    literals = [_literal(base, name, v, pointer) for v in values]
    bad = next((x for x in literals if isinstance(x, FieldError)), None)
    if bad is not None:
        return bad
    joined = ",".join(str(x) for x in literals)
    return f"{name}:{'!=' if op == 'ne' else '='}[{joined}]"


def _literal(base: str, name: str, value: Any, pointer: str) -> str | FieldError:
    if base in NUMERIC:
        if name in ("created_at", "updated_at") and isinstance(value, str):
            try:
                return str(int(datetime.fromisoformat(value).timestamp() * 1000))
            except ValueError:
                return FieldError(pointer, "expected an RFC 3339 date-time")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return FieldError(pointer, "expected a number")
        # Out-of-range values would reach Typesense as 300-digit literals: it takes seconds to refuse.
        if base == "int64":
            if not (isinstance(value, int) or value.is_integer()) or not INT64_MIN <= value <= INT64_MAX:
                return FieldError(pointer, f"'{name}' holds whole numbers from {INT64_MIN} to {INT64_MAX}")
            return str(int(value))
        if not math.isfinite(value) or abs(value) > FLOAT_MAX:
            return FieldError(pointer, f"'{name}' holds numbers from -{FLOAT_MAX:g} to {FLOAT_MAX:g}")
        return str(value)
    if base == "bool":
        if not isinstance(value, bool):
            return FieldError(pointer, "expected true or false")
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return FieldError(pointer, "expected a text value")
    text = value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    if "`" in text:
        return FieldError(pointer, "a filter value cannot contain a backtick (`)")
    return f"`{text}`"


def _facets(etype: EntityType, lay: Layout, facets: list[str]) -> list[str]:
    bad = [
        FieldError(
            f"/facets/{i}",
            f"'{f}' is not a facet of '{etype.name}' (facets: {', '.join(sorted(lay.facets))})",
        )
        for i, f in enumerate(facets)
        if f not in lay.facets
    ]
    if bad:
        raise ValidationFailed(bad, "Some facets are not valid.")
    return list(dict.fromkeys(facets))


def _sort_by(etype: EntityType, lay: Layout, sort: str | None, q: str) -> str:
    if not sort:
        return "_text_match:desc,created_at:desc" if q.strip() else "created_at:desc"
    keys = []
    errors = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        name, _, direction = part.partition(":")
        direction = direction or "asc"
        kind = lay.filterable.get(name, "")
        if direction not in ("asc", "desc"):
            errors.append(FieldError("/sort", f"'{part}': the direction is asc or desc"))
        elif name == "_text_match" or name == "score":
            keys.append(f"_text_match:{direction}")
        elif not kind:
            errors.append(
                FieldError(
                    "/sort",
                    f"'{name}' is not a search field or facet of '{etype.name}' "
                    f"(sortable: {_declared(etype, lay)})",
                )
            )
        elif kind.endswith("[]") or kind == "bool":
            errors.append(FieldError("/sort", f"'{name}' is a list or a boolean and cannot be sorted on"))
        else:
            keys.append(f"{name}:{direction}")
    if len(keys) > MAX_SORT_KEYS:
        errors.append(FieldError("/sort", f"at most {MAX_SORT_KEYS} sort keys"))
    if errors:
        raise ValidationFailed(errors, "The sort is not valid.")
    return ",".join(keys)


# -- reading the answer --------------------------------------------------------------------------


def _hit(type_name: str, hit: dict[str, Any]) -> Hit:
    doc = hit["document"]
    highlights = {}
    for h in hit.get("highlights", []):
        snippet = h.get("snippet") or ", ".join(h.get("snippets", []))
        if snippet:
            highlights[h["field"]] = snippet
    return Hit(
        id=doc["id"],
        type=type_name,
        external_id=doc.get("external_id"),
        status=doc.get("status"),
        attributes=doc.get(ATTRIBUTES, {}),
        highlights=highlights,
        score=int(hit.get("text_match", 0)),
    )


def _types_of(session: Session, ctx: TenantContext, names: list[str] | None) -> list[EntityType]:
    available = {t.name: t for t in indexing.searchable_types(session, ctx)}
    if names is None:
        return list(available.values())
    bad = [
        FieldError(f"/types/{i}", f"'{n}' is not a searchable entity type of this tenant")
        for i, n in enumerate(names)
        if n not in available
    ]
    if bad:
        raise ValidationFailed(bad, "Some types are not searchable.")
    return [available[n] for n in dict.fromkeys(names)]


def _down() -> Unavailable:
    return Unavailable(
        "Search is unavailable right now (the search index cannot be reached); try again shortly."
    )


def _search(
    index: SearchIndex, alias: str, etype: EntityType, lay: Layout, params: dict[str, Any], used: set[str]
) -> dict[str, Any] | None:
    """One search; while the index is rebuilt for new settings, the same search on the old collection.

    Between a settings change and the alias swap the alias still points at the collection built for
    the old settings, which may lack a text field the new ones query: the search is then asked
    again of the fields that collection has, so a rebuild never fails a search. Only a filter, facet
    or sort on a field the old collection lacks (or indexes differently) still waits for the rebuild.
    """
    with _answering(etype, lay):
        try:
            return index.search(alias, params)
        except SearchRejected as exc:
            if not isinstance(exc, StaleIndex) and indexing.is_current(etype, lay):
                raise
            fallback = _on_old_collection(index.fields(alias), lay, params, used)
            if fallback is None:
                raise
            return index.search(alias, fallback)


def _on_old_collection(
    old: dict[str, dict[str, Any]], lay: Layout, params: dict[str, Any], used: set[str]
) -> dict[str, Any] | None:
    """``params`` narrowed to a collection with fields ``old``; None when it cannot answer them."""
    if not old:
        return None
    for name in used - {"_text_match", "score"}:
        field = old.get(name)
        if field is None or field.get("type") != lay.filterable.get(name):
            return None
        if name in lay.facets and name in params.get("facet_by", "").split(",") and not field.get("facet"):
            return None
    text = [f for f in lay.query_by if str(old.get(f, {}).get("type", "")).startswith("string")]
    return params | {
        "query_by": ",".join(text or ["status"]),
        "highlight_fields": ",".join(text) if text else "none",
    }


def _sort_fields(sort_by: str) -> list[str]:
    return [part.partition(":")[0] for part in sort_by.split(",") if part]


@contextmanager
def _answering(etype: EntityType, lay: Layout) -> Iterator[None]:
    try:
        yield
    except SearchUnavailable as exc:
        raise _down() from exc
    except SearchRejected as exc:
        if isinstance(exc, StaleIndex) or not indexing.is_current(etype, lay):
            message = f"The search index of '{etype.name}' is being rebuilt for its new settings"
            raise Unavailable(f"{message}; try again shortly.") from exc
        raise ValidationFailed.one("q", f"the search index refused the query: {exc}") from exc
