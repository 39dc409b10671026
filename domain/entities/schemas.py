"""Request and response shapes of entity types, records, their history and file imports; the import
workflow carries the import values (pure)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def check_statuses(value: list[str]) -> list[str]:
    if len(set(value)) != len(value):
        raise ValueError("must not repeat a status")
    if any(not s or len(s) > 64 for s in value):
        raise ValueError("each status is 1 to 64 characters")
    return value


class Dedup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[str] = Field(min_length=1, max_length=8)
    threshold: float = Field(default=0.85, gt=0, le=1)


class SearchSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[str] = Field(min_length=1, max_length=32, description="attributes matched by q")
    facets: list[str] = Field(default_factory=list, max_length=32, description="attributes to count")
    sortable: list[str] = Field(
        default_factory=list, max_length=32, description="numeric attributes to sort on"
    )
    locale: str | None = Field(default=None, max_length=16, description="e.g. fr, de; accents folded")


class EntityTypeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str = Field(description="lower-case identifier used in URLs: customer, patient, asset")
    label: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    attributes_schema: dict[str, Any] = Field(
        alias="schema", description="JSON Schema 2020-12 of the attributes"
    )
    unique: list[str] = Field(default_factory=list, max_length=16)
    dedup: Dedup | None = None
    search: SearchSettings | None = None
    statuses: list[str] = Field(
        default_factory=list, max_length=64, description="allowed; the first is the default"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("must start with a letter: lower-case letters, digits and _ (at most 63)")
        return value

    @field_validator("statuses")
    @classmethod
    def _statuses(cls, value: list[str]) -> list[str]:
        return check_statuses(value)


class EntityTypeUpdate(BaseModel):
    """PUT: the whole definition except the name (which is in the path)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    label: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    attributes_schema: dict[str, Any] = Field(alias="schema")
    unique: list[str] = Field(default_factory=list, max_length=16)
    dedup: Dedup | None = None
    search: SearchSettings | None = None
    statuses: list[str] = Field(default_factory=list, max_length=64)

    @field_validator("statuses")
    @classmethod
    def _statuses(cls, value: list[str]) -> list[str]:
        return check_statuses(value)


class _TypeDefinitionOut(BaseModel):
    """What each version of a type records (``DEFINITION`` in types.py): a type and its versions
    answer it alike."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    attributes_schema: dict[str, Any] = Field(serialization_alias="schema", validation_alias="schema")
    unique: list[str]
    dedup: dict[str, Any] | None
    search: dict[str, Any] | None
    statuses: list[str]


class EntityTypeOut(_TypeDefinitionOut):
    id: uuid.UUID
    name: str
    label: str | None
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class EntityTypeVersionOut(_TypeDefinitionOut):
    version: int
    created_by: uuid.UUID | None
    created_at: datetime


class EntityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attributes: dict[str, Any]
    status: str | None = Field(default=None, max_length=64)
    external_id: str | None = Field(default=None, min_length=1, max_length=255)


class EntityOut(BaseModel):
    id: uuid.UUID
    type: str
    external_id: str | None
    status: str | None
    attributes: dict[str, Any]
    version: int
    schema_version: int
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None
    created_by: uuid.UUID | None
    updated_by: uuid.UUID | None
    merged_into: uuid.UUID | None = None


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    operation: str
    diff: dict[str, Any]
    actor_id: uuid.UUID | None
    actor_type: str
    note: str | None
    created_at: datetime


class VersionDetail(VersionOut):
    attributes: dict[str, Any]
    status: str | None
    external_id: str | None


# -- file imports: values shared with the import workflow ------------------------------------------
class ImportRun(BaseModel):
    tenant_id: uuid.UUID
    import_id: uuid.UUID
    last_line: int | None = None  # known once staged
    next_line: int = 1  # the first line of the next batch (carried over a continue-as-new)


class StageOut(BaseModel):
    last_line: int
    total: int


class ImportBatchIn(BaseModel):
    tenant_id: uuid.UUID
    import_id: uuid.UUID
    first_line: int  # the batch covers source lines first_line .. last_line
    last_line: int


class ImportBatchOut(BaseModel):
    ok: int
    failed: int


class ImportFailure(BaseModel):
    tenant_id: uuid.UUID
    import_id: uuid.UUID
    error: str


class ImportOut(BaseModel):
    id: uuid.UUID
    type: str
    status: str
    format: str
    mode: str
    on_duplicate: str
    filename: str | None
    mapping: dict[str, Any]
    rows_total: int | None
    rows_read: int
    rows_ok: int
    rows_failed: int
    rows_pending: int | None
    error: str | None
    workflow_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_ms: int | None
    rows_per_second: float | None


@dataclass(frozen=True)
class ImportRequest:
    type_name: str
    content: bytes
    filename: str | None = None
    content_type: str | None = None
    format: str | None = None
    mode: str = "insert"
    mapping: dict[str, Any] | None = None
    on_duplicate: str = "allow"
