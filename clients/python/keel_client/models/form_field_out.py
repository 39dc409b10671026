from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FormFieldOut")


@_attrs_define
class FormFieldOut:
    """
    Attributes:
        name (str):
        type_ (str):
        value (Any):
        options (list[str]):
        page (int | None):
        required (bool):
        read_only (bool):
        multiline (bool):
        multiple (bool):
    """

    name: str
    type_: str
    value: Any
    options: list[str]
    page: int | None
    required: bool
    read_only: bool
    multiline: bool
    multiple: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        type_ = self.type_

        value = self.value

        options = self.options

        page: int | None
        page = self.page

        required = self.required

        read_only = self.read_only

        multiline = self.multiline

        multiple = self.multiple

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "type": type_,
                "value": value,
                "options": options,
                "page": page,
                "required": required,
                "read_only": read_only,
                "multiline": multiline,
                "multiple": multiple,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        type_ = d.pop("type")

        value = d.pop("value")

        options = cast(list[str], d.pop("options"))

        def _parse_page(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        page = _parse_page(d.pop("page"))

        required = d.pop("required")

        read_only = d.pop("read_only")

        multiline = d.pop("multiline")

        multiple = d.pop("multiple")

        form_field_out = cls(
            name=name,
            type_=type_,
            value=value,
            options=options,
            page=page,
            required=required,
            read_only=read_only,
            multiline=multiline,
            multiple=multiple,
        )

        form_field_out.additional_properties = d
        return form_field_out

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
