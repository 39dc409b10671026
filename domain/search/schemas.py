"""Search models: the REST shapes, and the values the sync workflow and its activities pass around."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

MAX_PER_PAGE = 100
FilterValue = str | int | float | bool | list[str | int | float | bool] | dict[str, Any]


class EntitySearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(default="", max_length=500, description="the query; empty lists everything")
    filters: dict[str, FilterValue] = Field(
        default_factory=dict,
        description='attribute: value, [values], or {"gte"|"gt"|"lte"|"lt"|"ne"|"eq"|"in": …}',
        examples=[{"city": "Paris", "age": {"gte": 30}}],
    )
    facets: list[str] = Field(default_factory=list, max_length=20, examples=[["city", "status"]])
    sort: str | None = Field(default=None, max_length=200, examples=["created_at:desc"])
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=10, ge=1, description=f"capped at {MAX_PER_PAGE}")

    @property
    def limit(self) -> int:
        return min(self.per_page, MAX_PER_PAGE)


class FederatedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str = Field(max_length=500)
    types: list[str] | None = Field(default=None, max_length=50, description="all searchable types if absent")
    per_page: int = Field(default=10, ge=1, description=f"capped at {MAX_PER_PAGE}")

    @property
    def limit(self) -> int:
        return min(self.per_page, MAX_PER_PAGE)


class Hit(BaseModel):
    id: uuid.UUID
    type: str
    external_id: str | None = None
    status: str | None = None
    attributes: dict[str, Any]
    highlights: dict[str, str] = Field(description="field: snippet with <mark>…</mark> around matches")
    score: int = Field(description="Typesense's text match score; higher is better")


class FacetValue(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    hits: list[Hit]
    found: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    per_type: dict[str, int] = Field(default_factory=dict)
    took_ms: int
    query_id: uuid.UUID | None = None


class Suggestion(BaseModel):
    id: uuid.UUID
    field: str
    text: str = Field(description="the matching value")
    highlighted: str


class ClickIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query_id: uuid.UUID
    entity_id: uuid.UUID
    position: int | None = Field(default=None, ge=1, le=1_000_000, description="1-based rank of the hit")


class ClickOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    query_id: uuid.UUID
    entity_id: uuid.UUID
    position: int | None
    created_at: datetime


class QueryStat(BaseModel):
    query: str
    searches: int
    avg_hits: float
    clicks: int
    clicked_searches: int
    click_through: float = Field(description="share of these searches followed by at least one click")


class Analytics(BaseModel):
    since: datetime
    until: datetime
    searches: int
    click_through: float
    top_queries: list[QueryStat]
    zero_result_queries: list[QueryStat]


# -- workflow values -----------------------------------------------------------------------------


class SyncBatch(BaseModel):
    """Records to bring up to date (ids by type name), and types whose index to rebuild.

    ``reindex`` maps a type to ``force``: a forced rebuild (``keel reindex``) happens even when the
    index looks current; otherwise only an index that predates the type's settings is rebuilt.
    """

    tenant_id: uuid.UUID
    changes: dict[str, list[str]] = Field(default_factory=dict)
    reindex: dict[str, bool] = Field(default_factory=dict)

    def empty(self) -> bool:
        return not self.reindex and not any(self.changes.values())

    def size(self) -> int:
        return sum(len(ids) for ids in self.changes.values())

    def bounded(self, max_ids: int) -> SyncBatch:
        """At most ``max_ids`` ids (Temporal payloads stay small): beyond that, the types with the
        most changes get a forced rebuild instead, which reads all their records anyway."""
        while self.size() > max_ids:
            name = max(self.changes, key=lambda n: len(self.changes[n]))
            del self.changes[name]
            self.reindex[name] = True
        return self


class Synced(BaseModel):
    upserted: int = 0
    deleted: int = 0
    stale: list[str] = Field(default_factory=list, description="types whose index needs a rebuild")


class ReindexIn(BaseModel):
    tenant_id: uuid.UUID
    type_name: str
    force: bool = False


class Reindexed(BaseModel):
    collection: str | None
    documents: int
    rebuilt: bool
