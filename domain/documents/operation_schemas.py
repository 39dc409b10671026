"""Bodies and answers of the PDF operations (merge, split, stamp, fields, fill, package) and search."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.documents.schemas import DocumentOut, DocumentType, EntityLink, Metadata, Name

MAX_SOURCES = 200  # documents one merge or package reads
MAX_RANGES = 100
MAX_FIELDS = 500

Sources = Annotated[list[uuid.UUID], Field(min_length=1, max_length=MAX_SOURCES)]
Position = Literal["center", "top-left", "top-right", "bottom-left", "bottom-right"]
PageChoice = Literal["all", "first", "last"] | Annotated[list[int], Field(min_length=1, max_length=10_000)]


class MergeIn(BaseModel):
    """``POST /documents/merge``: one PDF of the documents, in order."""

    model_config = ConfigDict(extra="forbid")

    documents: Sources
    name: Name
    bookmarks: bool = True
    document_type: DocumentType | None = None
    entity: EntityLink | None = None
    metadata: Metadata | None = None


class SplitIn(BaseModel):
    """``POST /documents/{id}/split``: one new document per page range."""

    model_config = ConfigDict(extra="forbid")

    ranges: Annotated[
        list[Annotated[str, StringConstraints(max_length=40)]], Field(min_length=1, max_length=MAX_RANGES)
    ]


class SplitOut(BaseModel):
    documents: list[DocumentOut]


class StampIn(BaseModel):
    """``POST /documents/{id}/stamp``: a short text drawn on pages, as a new version."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    pages: PageChoice = "all"
    position: Position = "center"
    diagonal: bool = True


class FormFieldOut(BaseModel):
    name: str
    type: str
    value: Any
    options: list[str]
    page: int | None
    required: bool
    read_only: bool
    multiline: bool
    multiple: bool


class FillIn(BaseModel):
    """``POST /documents/{id}/fill``: values by field name; ``flatten`` prints them and removes the form."""

    model_config = ConfigDict(extra="forbid")

    fields: Annotated[dict[str, Any], Field(min_length=1, max_length=MAX_FIELDS)]
    flatten: bool = False


class PackageIn(BaseModel):
    """``POST /documents/package``: the documents as one zip, or one PDF with an outline."""

    model_config = ConfigDict(extra="forbid")

    documents: Sources
    format: Literal["zip", "pdf"]
    name: Name
    document_type: DocumentType | None = None
    entity: EntityLink | None = None
    metadata: Metadata | None = None


class DocumentSearchIn(BaseModel):
    """``POST /documents/search``: full text over names and the extracted text of current versions."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    document_type: DocumentType | None = None
    entity_type: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    entity_id: uuid.UUID | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20


class DocumentHit(BaseModel):
    document: DocumentOut
    snippet: str | None
    score: float


class DocumentSearchOut(BaseModel):
    hits: list[DocumentHit]
    found: int
