from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DocumentVersionOut")


@_attrs_define
class DocumentVersionOut:
    """
    Attributes:
        version (int):
        sha256 (str):
        size (int):
        content_type (str):
        page_count (int | None):
        source (str):
        note (None | str):
        template_version (int | None):
        created_by (None | UUID):
        created_at (datetime.datetime):
    """

    version: int
    sha256: str
    size: int
    content_type: str
    page_count: int | None
    source: str
    note: None | str
    template_version: int | None
    created_by: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        sha256 = self.sha256

        size = self.size

        content_type = self.content_type

        page_count: int | None
        page_count = self.page_count

        source = self.source

        note: None | str
        note = self.note

        template_version: int | None
        template_version = self.template_version

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "sha256": sha256,
                "size": size,
                "content_type": content_type,
                "page_count": page_count,
                "source": source,
                "note": note,
                "template_version": template_version,
                "created_by": created_by,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        version = d.pop("version")

        sha256 = d.pop("sha256")

        size = d.pop("size")

        content_type = d.pop("content_type")

        def _parse_page_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        page_count = _parse_page_count(d.pop("page_count"))

        source = d.pop("source")

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        def _parse_template_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        template_version = _parse_template_version(d.pop("template_version"))

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

        document_version_out = cls(
            version=version,
            sha256=sha256,
            size=size,
            content_type=content_type,
            page_count=page_count,
            source=source,
            note=note,
            template_version=template_version,
            created_by=created_by,
            created_at=created_at,
        )

        document_version_out.additional_properties = d
        return document_version_out

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
