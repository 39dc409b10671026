from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.document_template_out_sample_data_type_0 import (
        DocumentTemplateOutSampleDataType0,
    )


T = TypeVar("T", bound="DocumentTemplateOut")


@_attrs_define
class DocumentTemplateOut:
    """
    Attributes:
        id (UUID):
        key (str):
        name (str):
        version (int):
        content (str):
        css (None | str):
        sample_data (DocumentTemplateOutSampleDataType0 | None):
        locale (str):
        sha256 (str):
        created_by (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    key: str
    name: str
    version: int
    content: str
    css: None | str
    sample_data: DocumentTemplateOutSampleDataType0 | None
    locale: str
    sha256: str
    created_by: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_template_out_sample_data_type_0 import (
            DocumentTemplateOutSampleDataType0,
        )

        id = str(self.id)

        key = self.key

        name = self.name

        version = self.version

        content = self.content

        css: None | str
        css = self.css

        sample_data: dict[str, Any] | None
        if isinstance(self.sample_data, DocumentTemplateOutSampleDataType0):
            sample_data = self.sample_data.to_dict()
        else:
            sample_data = self.sample_data

        locale = self.locale

        sha256 = self.sha256

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "key": key,
                "name": name,
                "version": version,
                "content": content,
                "css": css,
                "sample_data": sample_data,
                "locale": locale,
                "sha256": sha256,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_template_out_sample_data_type_0 import (
            DocumentTemplateOutSampleDataType0,
        )

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        key = d.pop("key")

        name = d.pop("name")

        version = d.pop("version")

        content = d.pop("content")

        def _parse_css(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        css = _parse_css(d.pop("css"))

        def _parse_sample_data(
            data: object,
        ) -> DocumentTemplateOutSampleDataType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sample_data_type_0 = DocumentTemplateOutSampleDataType0.from_dict(data)

                return sample_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentTemplateOutSampleDataType0 | None, data)

        sample_data = _parse_sample_data(d.pop("sample_data"))

        locale = d.pop("locale")

        sha256 = d.pop("sha256")

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

        document_template_out = cls(
            id=id,
            key=key,
            name=name,
            version=version,
            content=content,
            css=css,
            sample_data=sample_data,
            locale=locale,
            sha256=sha256,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
        )

        document_template_out.additional_properties = d
        return document_template_out

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
