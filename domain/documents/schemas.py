"""Documents in and out: templates, assets, documents and their versions (pydantic, workflow-safe)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

Status = Literal["generating", "ready", "failed"]
Source = Literal["upload", "generated", "merge", "split", "stamp", "fill", "package", "signing"]
SOURCES: tuple[str, ...] = ("upload", "generated", "merge", "split", "stamp", "fill", "package", "signing")

TEMPLATE_KEY = r"^[a-z0-9][a-z0-9\-_.]*$"
TemplateKey = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=TEMPLATE_KEY)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, strip_whitespace=True)]
DocumentType = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _.\-/]*$")
]
MAX_METADATA_BYTES = 16_384  # metadata of one document, as JSON
MAX_DATA_BYTES = 1_000_000  # the data a document is generated from, as JSON


def _bounded_json(limit: int, what: str) -> Any:
    def check(value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, separators=(",", ":"))) > limit:
            raise ValueError(f"{what} is larger than {limit} bytes as JSON")
        return value

    return AfterValidator(check)


def _metadata_keys(value: dict[str, Any]) -> dict[str, Any]:
    if len(value) > 100:
        raise ValueError("has more than 100 keys")
    for key in value:
        if not 0 < len(key) <= 100:
            raise ValueError("keys are 1 to 100 characters")
    return value


Metadata = Annotated[
    dict[str, Any], _bounded_json(MAX_METADATA_BYTES, "metadata"), AfterValidator(_metadata_keys)
]
Data = Annotated[dict[str, Any], _bounded_json(MAX_DATA_BYTES, "data")]


@dataclass(frozen=True)
class DocumentLimits:
    """How large a stored document may be: bytes and (for a PDF) pages."""

    max_bytes: int
    max_pages: int

    @classmethod
    def of(cls, settings: Any) -> DocumentLimits:
        """From ``keel.settings.Settings`` (``KEEL_DOCUMENT_MAX_BYTES``, ``KEEL_DOCUMENT_MAX_PAGES``)."""
        return cls(max_bytes=settings.document_max_bytes, max_pages=settings.document_max_pages)


class EntityLink(BaseModel):
    """The record a document belongs to: an entity type name and the record's id."""

    model_config = ConfigDict(extra="forbid")

    type: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    id: uuid.UUID


# --- Templates ---------------------------------------------------------------------------------


class DocumentTemplateIn(BaseModel):
    """A template's content: Jinja2 HTML, an optional stylesheet, sample data it must render with."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    content: Annotated[str, Field(min_length=1, max_length=1_000_000)]
    css: Annotated[str | None, Field(max_length=1_000_000)] = None
    sample_data: Data | None = None
    locale: Annotated[str, Field(min_length=1, max_length=35)] = "en"


class DocumentTemplateCreate(DocumentTemplateIn):
    key: TemplateKey


class DocumentTemplatePatch(BaseModel):
    """The fields to change; the others keep the current version's values."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    content: Annotated[str | None, Field(min_length=1, max_length=1_000_000)] = None
    css: Annotated[str | None, Field(max_length=1_000_000)] = None
    sample_data: Data | None = None
    locale: Annotated[str | None, Field(min_length=1, max_length=35)] = None


class DocumentTemplateOut(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    version: int
    content: str
    css: str | None
    sample_data: dict[str, Any] | None
    locale: str
    sha256: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class DocumentTemplateSummary(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    version: int
    created_at: datetime
    updated_at: datetime


class DocumentTemplateVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    name: str
    locale: str
    sha256: str
    created_by: uuid.UUID | None
    created_at: datetime


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: Data | None = None
    version: Annotated[int | None, Field(ge=1)] = None


# --- Assets ------------------------------------------------------------------------------------


class DocumentAssetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    content_type: str
    size: int
    sha256: str
    created_by: uuid.UUID | None
    created_at: datetime


# --- Documents ---------------------------------------------------------------------------------


class GenerateIn(BaseModel):
    """``POST /documents`` as JSON: generate from a template with data."""

    model_config = ConfigDict(extra="forbid")

    template: TemplateKey
    data: Data = Field(default_factory=dict)
    name: Name
    document_type: DocumentType
    entity: EntityLink | None = None
    metadata: Metadata | None = None


class UploadMeta(BaseModel):
    """``POST /documents`` as multipart: the ``meta`` field (JSON)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    document_type: DocumentType
    entity: EntityLink | None = None
    metadata: Metadata | None = None
    note: Annotated[str | None, Field(max_length=2000)] = None


class RegenerateIn(BaseModel):
    """``POST /documents/{id}/versions`` as JSON: render the pinned template again with new data."""

    model_config = ConfigDict(extra="forbid")

    data: Data
    note: Annotated[str | None, Field(max_length=2000)] = None


# Read from a ``Document`` row: its columns ``template_key`` and ``metadata_`` go by their API names.
class DocumentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, populate_by_name=True)

    id: uuid.UUID
    name: str
    document_type: str
    entity: EntityLink | None = Field(validation_alias="entity_link")
    template: str | None = Field(validation_alias="template_key")
    template_version: int | None
    content_type: str | None
    size: int | None
    sha256: str | None
    page_count: int | None
    version: int
    metadata: dict[str, Any] = Field(validation_alias="metadata_")
    status: Status
    failure_reason: str | None
    source: str
    created_by: uuid.UUID | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


class DocumentVersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    sha256: str
    size: int
    content_type: str
    page_count: int | None
    source: str
    note: str | None
    template_version: int | None
    created_by: uuid.UUID | None
    created_at: datetime


class DownloadUrlOut(BaseModel):
    url: str
    expires_at: datetime


class GenerateRun(BaseModel):
    """What the generation workflow is started with: the template version is pinned at request time."""

    tenant_id: uuid.UUID
    document_id: uuid.UUID
    template_key: str
    template_version: int
    data: dict[str, Any]


class GenerateFailure(BaseModel):
    tenant_id: uuid.UUID
    document_id: uuid.UUID
    reason: str
