"""REST shapes of relation types, relationships, the neighbourhood, duplicates and merges."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Cardinality = Literal["one_to_one", "one_to_many", "many_to_many"]
Direction = Literal["out", "in", "both"]
MergeStrategy = Literal["keep_target", "prefer_source", "fill_empty"]
NAME_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class RelationTypeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=NAME_PATTERN, examples=["employs"])
    label: str | None = Field(default=None, max_length=200, examples=["Employs"])
    source_types: list[str] = Field(
        default_factory=list, max_length=50, description="entity type names allowed as source; empty = any"
    )
    target_types: list[str] = Field(
        default_factory=list, max_length=50, description="entity type names allowed as target; empty = any"
    )
    cardinality: Cardinality = Field(
        description="one_to_one: each side at most one edge; one_to_many: a target has at most one source; "
        "many_to_many: no limit"
    )
    attributes_schema: dict[str, Any] | None = Field(
        default=None, description="JSON Schema 2020-12 of the edges' attributes (null: any object)"
    )


class RelationTypeUpdate(BaseModel):
    """A full replacement; ``name`` may be sent but must equal the one in the path."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, pattern=NAME_PATTERN)
    label: str | None = Field(default=None, max_length=200)
    source_types: list[str] = Field(default_factory=list, max_length=50)
    target_types: list[str] = Field(default_factory=list, max_length=50)
    cardinality: Cardinality
    attributes_schema: dict[str, Any] | None = None


class RelationTypeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    label: str | None
    source_types: list[str]
    target_types: list[str]
    cardinality: Cardinality
    attributes_schema: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime


class RelationshipIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target_id: uuid.UUID
    attributes: dict[str, Any] = Field(default_factory=dict, examples=[{"role": "engineer"}])


class EndRef(BaseModel):
    id: uuid.UUID
    type: str


class RelationshipOut(BaseModel):
    id: uuid.UUID
    relation_type: str
    source: EndRef
    target: EndRef
    attributes: dict[str, Any]
    created_at: datetime
    created_by: uuid.UUID | None


class Node(BaseModel):
    id: uuid.UUID
    type: str
    depth: int = Field(description="the fewest edges from the starting record")
    attributes: dict[str, Any] = Field(
        description="a summary: the type's search and dedup fields, else its first five attributes"
    )


class Neighbourhood(BaseModel):
    nodes: list[Node]
    edges: list[RelationshipOut]
    truncated: bool = Field(description="true when the node cap cut the walk short")


class PairSide(BaseModel):
    id: uuid.UUID
    external_id: str | None
    attributes: dict[str, Any]


class DuplicatePair(BaseModel):
    a: PairSide
    b: PairSide
    score: float = Field(description="pg_trgm similarity of the two records' dedup fields (0..1)")


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: list[uuid.UUID] = Field(alias="from", min_length=1, max_length=50)
    strategy: MergeStrategy = "keep_target"


class MergeEdges(BaseModel):
    repointed: int = Field(description="edges of the merged records that now start or end at the survivor")
    dropped: int = Field(description="edges removed as duplicates, self-loops or over the cardinality")


class MergeOut(BaseModel):
    survivor: dict[str, Any] = Field(description="the surviving record, as GET returns it")
    merged: list[uuid.UUID]
    relationships: MergeEdges
