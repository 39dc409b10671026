from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_out_status import DocumentOutStatus

if TYPE_CHECKING:
    from ..models.document_entity_link import DocumentEntityLink
    from ..models.document_out_metadata import DocumentOutMetadata


T = TypeVar("T", bound="DocumentOut")


@_attrs_define
class DocumentOut:
    """
    Attributes:
        id (UUID):
        name (str):
        document_type (str):
        entity (DocumentEntityLink | None):
        template (None | str):
        template_version (int | None):
        content_type (None | str):
        size (int | None):
        sha256 (None | str):
        page_count (int | None):
        version (int):
        metadata (DocumentOutMetadata):
        status (DocumentOutStatus):
        failure_reason (None | str):
        source (str):
        created_by (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        deleted_at (datetime.datetime | None):
    """

    id: UUID
    name: str
    document_type: str
    entity: DocumentEntityLink | None
    template: None | str
    template_version: int | None
    content_type: None | str
    size: int | None
    sha256: None | str
    page_count: int | None
    version: int
    metadata: DocumentOutMetadata
    status: DocumentOutStatus
    failure_reason: None | str
    source: str
    created_by: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deleted_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_entity_link import DocumentEntityLink

        id = str(self.id)

        name = self.name

        document_type = self.document_type

        entity: dict[str, Any] | None
        if isinstance(self.entity, DocumentEntityLink):
            entity = self.entity.to_dict()
        else:
            entity = self.entity

        template: None | str
        template = self.template

        template_version: int | None
        template_version = self.template_version

        content_type: None | str
        content_type = self.content_type

        size: int | None
        size = self.size

        sha256: None | str
        sha256 = self.sha256

        page_count: int | None
        page_count = self.page_count

        version = self.version

        metadata = self.metadata.to_dict()

        status = self.status.value

        failure_reason: None | str
        failure_reason = self.failure_reason

        source = self.source

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "document_type": document_type,
                "entity": entity,
                "template": template,
                "template_version": template_version,
                "content_type": content_type,
                "size": size,
                "sha256": sha256,
                "page_count": page_count,
                "version": version,
                "metadata": metadata,
                "status": status,
                "failure_reason": failure_reason,
                "source": source,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
                "deleted_at": deleted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_entity_link import DocumentEntityLink
        from ..models.document_out_metadata import DocumentOutMetadata

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        document_type = d.pop("document_type")

        def _parse_entity(data: object) -> DocumentEntityLink | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                entity_type_0 = DocumentEntityLink.from_dict(data)

                return entity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentEntityLink | None, data)

        entity = _parse_entity(d.pop("entity"))

        def _parse_template(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        template = _parse_template(d.pop("template"))

        def _parse_template_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        template_version = _parse_template_version(d.pop("template_version"))

        def _parse_content_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        content_type = _parse_content_type(d.pop("content_type"))

        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))

        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))

        def _parse_page_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        page_count = _parse_page_count(d.pop("page_count"))

        version = d.pop("version")

        metadata = DocumentOutMetadata.from_dict(d.pop("metadata"))

        status = DocumentOutStatus(d.pop("status"))

        def _parse_failure_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        failure_reason = _parse_failure_reason(d.pop("failure_reason"))

        source = d.pop("source")

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        document_out = cls(
            id=id,
            name=name,
            document_type=document_type,
            entity=entity,
            template=template,
            template_version=template_version,
            content_type=content_type,
            size=size,
            sha256=sha256,
            page_count=page_count,
            version=version,
            metadata=metadata,
            status=status,
            failure_reason=failure_reason,
            source=source,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            deleted_at=deleted_at,
        )

        document_out.additional_properties = d
        return document_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
