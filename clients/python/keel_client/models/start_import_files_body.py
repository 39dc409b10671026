from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.start_import_files_body_format import StartImportFilesBodyFormat
from ..models.start_import_files_body_mode import StartImportFilesBodyMode
from ..models.start_import_files_body_on_duplicate import (
    StartImportFilesBodyOnDuplicate,
)
from ..types import UNSET, File, Unset

T = TypeVar("T", bound="StartImportFilesBody")


@_attrs_define
class StartImportFilesBody:
    """
    Attributes:
        file (File):
        format_ (StartImportFilesBodyFormat | Unset):
        mode (StartImportFilesBodyMode | Unset):
        mapping (str | Unset): JSON: {"column": "attribute"}
        on_duplicate (StartImportFilesBodyOnDuplicate | Unset):
    """

    file: File
    format_: StartImportFilesBodyFormat | Unset = UNSET
    mode: StartImportFilesBodyMode | Unset = UNSET
    mapping: str | Unset = UNSET
    on_duplicate: StartImportFilesBodyOnDuplicate | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file.to_tuple()

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        mapping = self.mapping

        on_duplicate: str | Unset = UNSET
        if not isinstance(self.on_duplicate, Unset):
            on_duplicate = self.on_duplicate.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_
        if mode is not UNSET:
            field_dict["mode"] = mode
        if mapping is not UNSET:
            field_dict["mapping"] = mapping
        if on_duplicate is not UNSET:
            field_dict["on_duplicate"] = on_duplicate

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", self.file.to_tuple()))

        if not isinstance(self.format_, Unset):
            files.append(
                ("format", (None, str(self.format_.value).encode(), "text/plain"))
            )

        if not isinstance(self.mode, Unset):
            files.append(("mode", (None, str(self.mode.value).encode(), "text/plain")))

        if not isinstance(self.mapping, Unset):
            files.append(("mapping", (None, str(self.mapping).encode(), "text/plain")))

        if not isinstance(self.on_duplicate, Unset):
            files.append(
                (
                    "on_duplicate",
                    (None, str(self.on_duplicate.value).encode(), "text/plain"),
                )
            )

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        file = File(payload=BytesIO(d.pop("file")))

        _format_ = d.pop("format", UNSET)
        format_: StartImportFilesBodyFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = StartImportFilesBodyFormat(_format_)

        _mode = d.pop("mode", UNSET)
        mode: StartImportFilesBodyMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = StartImportFilesBodyMode(_mode)

        mapping = d.pop("mapping", UNSET)

        _on_duplicate = d.pop("on_duplicate", UNSET)
        on_duplicate: StartImportFilesBodyOnDuplicate | Unset
        if isinstance(_on_duplicate, Unset):
            on_duplicate = UNSET
        else:
            on_duplicate = StartImportFilesBodyOnDuplicate(_on_duplicate)

        start_import_files_body = cls(
            file=file,
            format_=format_,
            mode=mode,
            mapping=mapping,
            on_duplicate=on_duplicate,
        )

        start_import_files_body.additional_properties = d
        return start_import_files_body

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
