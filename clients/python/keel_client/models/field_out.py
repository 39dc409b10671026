from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.field_out_type import FieldOutType
from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldOut")


@_attrs_define
class FieldOut:
    """
    Attributes:
        id (str):
        signer_id (UUID):
        type_ (FieldOutType):
        page (int):
        x (float):
        y (float):
        width (float):
        height (float):
        label (None | str | Unset):
    """

    id: str
    signer_id: UUID
    type_: FieldOutType
    page: int
    x: float
    y: float
    width: float
    height: float
    label: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        signer_id = str(self.signer_id)

        type_ = self.type_.value

        page = self.page

        x = self.x

        y = self.y

        width = self.width

        height = self.height

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "signer_id": signer_id,
                "type": type_,
                "page": page,
                "x": x,
                "y": y,
                "width": width,
                "height": height,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        signer_id = UUID(d.pop("signer_id"))

        type_ = FieldOutType(d.pop("type"))

        page = d.pop("page")

        x = d.pop("x")

        y = d.pop("y")

        width = d.pop("width")

        height = d.pop("height")

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        field_out = cls(
            id=id,
            signer_id=signer_id,
            type_=type_,
            page=page,
            x=x,
            y=y,
            width=width,
            height=height,
            label=label,
        )

        field_out.additional_properties = d
        return field_out

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
