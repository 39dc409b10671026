from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_preview_in_data_type_0 import DocumentPreviewInDataType0


T = TypeVar("T", bound="DocumentPreviewIn")


@_attrs_define
class DocumentPreviewIn:
    """
    Attributes:
        data (DocumentPreviewInDataType0 | None | Unset):
        version (int | None | Unset):
    """

    data: DocumentPreviewInDataType0 | None | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_preview_in_data_type_0 import DocumentPreviewInDataType0

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, DocumentPreviewInDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_preview_in_data_type_0 import DocumentPreviewInDataType0

        d = dict(src_dict)

        def _parse_data(data: object) -> DocumentPreviewInDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = DocumentPreviewInDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentPreviewInDataType0 | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        document_preview_in = cls(
            data=data,
            version=version,
        )

        return document_preview_in
