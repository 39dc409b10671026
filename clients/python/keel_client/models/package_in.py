from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.package_in_format import PackageInFormat
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_entity_link import DocumentEntityLink
    from ..models.package_in_metadata_type_0 import PackageInMetadataType0


T = TypeVar("T", bound="PackageIn")


@_attrs_define
class PackageIn:
    """``POST /documents/package``: the documents as one zip, or one PDF with an outline.

    Attributes:
        documents (list[UUID]):
        format_ (PackageInFormat):
        name (str):
        document_type (None | str | Unset):
        entity (DocumentEntityLink | None | Unset):
        metadata (None | PackageInMetadataType0 | Unset):
    """

    documents: list[UUID]
    format_: PackageInFormat
    name: str
    document_type: None | str | Unset = UNSET
    entity: DocumentEntityLink | None | Unset = UNSET
    metadata: None | PackageInMetadataType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_entity_link import DocumentEntityLink
        from ..models.package_in_metadata_type_0 import PackageInMetadataType0

        documents = []
        for documents_item_data in self.documents:
            documents_item = str(documents_item_data)
            documents.append(documents_item)

        format_ = self.format_.value

        name = self.name

        document_type: None | str | Unset
        if isinstance(self.document_type, Unset):
            document_type = UNSET
        else:
            document_type = self.document_type

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
        elif isinstance(self.metadata, PackageInMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "documents": documents,
                "format": format_,
                "name": name,
            }
        )
        if document_type is not UNSET:
            field_dict["document_type"] = document_type
        if entity is not UNSET:
            field_dict["entity"] = entity
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_entity_link import DocumentEntityLink
        from ..models.package_in_metadata_type_0 import PackageInMetadataType0

        d = dict(src_dict)
        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = UUID(documents_item_data)

            documents.append(documents_item)

        format_ = PackageInFormat(d.pop("format"))

        name = d.pop("name")

        def _parse_document_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        document_type = _parse_document_type(d.pop("document_type", UNSET))

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

        def _parse_metadata(data: object) -> None | PackageInMetadataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = PackageInMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PackageInMetadataType0 | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        package_in = cls(
            documents=documents,
            format_=format_,
            name=name,
            document_type=document_type,
            entity=entity,
            metadata=metadata,
        )

        return package_in
