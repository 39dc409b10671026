"""Duplicate candidates by pg_trgm similarity of the type's dedup fields (``entities.dedup_text``).

Queries use the ``%`` operator, which the partial GIN index ``ix_entities_dedup_text`` serves; its
cut-off, ``pg_trgm.similarity_threshold``, is set to the type's threshold (SET LOCAL: this transaction).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from db.models import EntityType
from domain.context import TenantContext
from domain.entities import validation
from domain.entities.relation_schemas import DuplicatePair, PairSide
from domain.errors import Unavailable

DEFAULT_THRESHOLD = 0.85
MAX_PAIRS = 200
PAIRS_TIMEOUT_MS = 5000
QUERY_CANCELED = "57014"


@dataclass(frozen=True)
class Candidate:
    entity_id: uuid.UUID
    score: float
    attributes: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"entity_id": str(self.entity_id), "score": self.score, "attributes": self.attributes}


def threshold_of(etype: EntityType) -> float:
    return float((etype.dedup or {}).get("threshold") or DEFAULT_THRESHOLD)


def _with_threshold(
    session: Session, threshold: float, sql: str, params: dict[str, Any], *, timeout_ms: int | None = None
) -> list[Any]:
    """Run ``sql`` with the trigram cut-off (and a statement timeout) set for the rest of the transaction,
    in one round trip (psycopg2 sends the statements at once and answers the last one's rows)."""
    setting = "SELECT set_config('pg_trgm.similarity_threshold', :threshold, true);\n"
    values = {**params, "threshold": str(threshold)}
    if timeout_ms is not None:
        setting += "SELECT set_config('statement_timeout', :timeout, true);\n"
        values["timeout"] = f"{timeout_ms}ms"
    return list(session.execute(text(setting + sql), values))


_CANDIDATES = """
    SELECT id, similarity(dedup_text, :q) AS score, attributes
    FROM entities
    WHERE tenant_id = :tenant AND type_id = :type AND deleted_at IS NULL
      AND dedup_text % :q AND NOT (id = ANY(CAST(:exclude AS uuid[])))
    ORDER BY score DESC, created_at, id
    LIMIT :limit
"""


def candidates(
    session: Session,
    ctx: TenantContext,
    etype: EntityType,
    attributes: dict[str, Any],
    *,
    exclude_ids: Collection[uuid.UUID] = (),
    limit: int = 5,
) -> list[Candidate]:
    """Live records of the type at least as similar as the type's threshold, most similar first."""
    query = validation.dedup_text(etype, attributes)
    if query is None:
        return []
    rows = _with_threshold(
        session,
        threshold_of(etype),
        _CANDIDATES,
        {
            "q": query,
            "tenant": str(ctx.tenant_id),  # tenant: the trigram query is raw SQL, filtered by hand
            "type": str(etype.id),
            "exclude": [str(i) for i in exclude_ids],
            "limit": limit,
        },
    )
    return [Candidate(r.id, round(float(r.score), 4), r.attributes) for r in rows]


_PAIRS = """
    SELECT a.id AS a_id, a.external_id AS a_ext, a.attributes AS a_attrs,
           b.id AS b_id, b.external_id AS b_ext, b.attributes AS b_attrs,
           similarity(a.dedup_text, b.dedup_text) AS score
    FROM entities a
    JOIN entities b
      ON b.tenant_id = a.tenant_id AND b.type_id = a.type_id AND b.deleted_at IS NULL
     AND a.id < b.id AND a.dedup_text % b.dedup_text
    WHERE a.tenant_id = :tenant AND a.type_id = :type AND a.deleted_at IS NULL AND a.dedup_text IS NOT NULL
    ORDER BY score DESC, a.id, b.id
    LIMIT :limit
"""


def _sqlstate(exc: OperationalError) -> str | None:
    return getattr(exc.orig, "pgcode", None) or getattr(exc.orig, "sqlstate", None)


def duplicate_pairs(
    session: Session, ctx: TenantContext, etype: EntityType, *, limit: int = 50
) -> list[DuplicatePair]:
    """Pairs of the type's live records above its threshold, each pair once, most similar first."""
    ctx.require("entities:read")
    if not (etype.dedup or {}).get("fields"):
        return []
    # tenant: the trigram self-join is raw SQL, filtered by hand
    params = {"tenant": str(ctx.tenant_id), "type": str(etype.id), "limit": min(max(limit, 1), MAX_PAIRS)}
    try:
        # Every pair above a low threshold of a big type is quadratic work: bounded, not unbounded.
        rows = _with_threshold(session, threshold_of(etype), _PAIRS, params, timeout_ms=PAIRS_TIMEOUT_MS)
    except OperationalError as exc:
        if _sqlstate(exc) != QUERY_CANCELED:
            raise
        raise Unavailable(
            f"Listing the duplicates of {etype.name} took longer than {PAIRS_TIMEOUT_MS / 1000:g} s: "
            "too many records are similar at its threshold; raise the type's dedup threshold."
        ) from exc
    return [
        DuplicatePair(
            a=PairSide(id=r.a_id, external_id=r.a_ext, attributes=r.a_attrs),
            b=PairSide(id=r.b_id, external_id=r.b_ext, attributes=r.b_attrs),
            score=round(float(r.score), 4),
        )
        for r in rows
    ]
