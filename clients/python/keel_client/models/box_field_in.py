from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.box_field_in_type import BoxFieldInType
from ..types import UNSET, Unset

T = TypeVar("T", bound="BoxFieldIn")


@_attrs_define
class BoxFieldIn:
    """A box at a position: points from the page's top-left corner.

    Attributes:
        signer (int | str): the signer's index in `signers` (from 0) or its email address
        page (int):
        x (float):
        y (float):
        width (float):
        height (float):
        type_ (BoxFieldInType | Unset):  Default: BoxFieldInType.SIGNATURE.
        label (None | str | Unset):
    """

    signer: int | str
    page: int
    x: float
    y: float
    width: float
    height: float
    type_: BoxFieldInType | Unset = BoxFieldInType.SIGNATURE
    label: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        signer: int | str
        signer = self.signer

        page = self.page

        x = self.x

        y = self.y

        width = self.width

        height = self.height

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "signer": signer,
                "page": page,
                "x": x,
                "y": y,
                "width": width,
                "height": height,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_signer(data: object) -> int | str:
            return cast(int | str, data)

        signer = _parse_signer(d.pop("signer"))

        page = d.pop("page")

        x = d.pop("x")

        y = d.pop("y")

        width = d.pop("width")

        height = d.pop("height")

        _type_ = d.pop("type", UNSET)
        type_: BoxFieldInType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = BoxFieldInType(_type_)

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        box_field_in = cls(
            signer=signer,
            page=page,
            x=x,
            y=y,
            width=width,
            height=height,
            type_=type_,
            label=label,
        )

        return box_field_in
