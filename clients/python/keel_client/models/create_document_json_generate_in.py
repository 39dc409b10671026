from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_document_json_generate_in_data import (
        CreateDocumentJsonGenerateInData,
    )
    from ..models.create_document_json_generate_in_metadata_type_0 import (
        CreateDocumentJsonGenerateInMetadataType0,
    )
    from ..models.document_entity_link import DocumentEntityLink


T = TypeVar("T", bound="CreateDocumentJsonGenerateIn")


@_attrs_define
class CreateDocumentJsonGenerateIn:
    """``POST /documents`` as JSON: generate from a template with data.

    Attributes:
        template (str):
        name (str):
        document_type (str):
        data (CreateDocumentJsonGenerateInData | Unset):
        entity (DocumentEntityLink | None | Unset):
        metadata (CreateDocumentJsonGenerateInMetadataType0 | None | Unset):
    """

    template: str
    name: str
    document_type: str
    data: CreateDocumentJsonGenerateInData | Unset = UNSET
    entity: DocumentEntityLink | None | Unset = UNSET
    metadata: CreateDocumentJsonGenerateInMetadataType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.create_document_json_generate_in_metadata_type_0 import (
            CreateDocumentJsonGenerateInMetadataType0,
        )
        from ..models.document_entity_link import DocumentEntityLink

        template = self.template

        name = self.name

        document_type = self.document_type

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        entity: dict[str, Any] | None | Unset
        if isinstance(self.entity, Unset):
            entity = UNSET
        elif isinstance(self.entity, DocumentEntityLink):
            entity = self.entity.to_dict()
        else:
            entity = self.entity

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, CreateDocumentJsonGenerateInMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "template": template,
                "name": name,
                "document_type": document_type,
            }
        )
        if data is not UNSET:
            field_dict["data"] = data
        if entity is not UNSET:
            field_dict["entity"] = entity
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.create_document_json_generate_in_data import (
            CreateDocumentJsonGenerateInData,
        )
        from ..models.create_document_json_generate_in_metadata_type_0 import (
            CreateDocumentJsonGenerateInMetadataType0,
        )
        from ..models.document_entity_link import DocumentEntityLink

        d = dict(src_dict)
        template = d.pop("template")

        name = d.pop("name")

        document_type = d.pop("document_type")

        _data = d.pop("data", UNSET)
        data: CreateDocumentJsonGenerateInData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = CreateDocumentJsonGenerateInData.from_dict(_data)

        def _parse_entity(data: object) -> DocumentEntityLink | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                entity_type_0 = DocumentEntityLink.from_dict(data)

                return entity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentEntityLink | None | Unset, data)

        entity = _parse_entity(d.pop("entity", UNSET))

        def _parse_metadata(
            data: object,
        ) -> CreateDocumentJsonGenerateInMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = CreateDocumentJsonGenerateInMetadataType0.from_dict(
                    data
                )

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CreateDocumentJsonGenerateInMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        create_document_json_generate_in = cls(
            template=template,
            name=name,
            document_type=document_type,
            data=data,
            entity=entity,
            metadata=metadata,
        )

        return create_document_json_generate_in
