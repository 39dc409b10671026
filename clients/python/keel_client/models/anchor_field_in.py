from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.anchor_field_in_type import AnchorFieldInType
from ..types import UNSET, Unset

T = TypeVar("T", bound="AnchorFieldIn")


@_attrs_define
class AnchorFieldIn:
    """A box placed just after each place the anchor text appears in the PDF.

    Attributes:
        anchor (str):
        signer (int | str): the signer's index in `signers` (from 0) or its email address
        type_ (AnchorFieldInType | Unset):  Default: AnchorFieldInType.SIGNATURE.
        width (float | None | Unset):
        height (float | None | Unset):
        label (None | str | Unset):
    """

    anchor: str
    signer: int | str
    type_: AnchorFieldInType | Unset = AnchorFieldInType.SIGNATURE
    width: float | None | Unset = UNSET
    height: float | None | Unset = UNSET
    label: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        anchor = self.anchor

        signer: int | str
        signer = self.signer

        type_: str | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_.value

        width: float | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        height: float | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "anchor": anchor,
                "signer": signer,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if width is not UNSET:
            field_dict["width"] = width
        if height is not UNSET:
            field_dict["height"] = height
        if label is not UNSET:
            field_dict["label"] = label

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        anchor = d.pop("anchor")

        def _parse_signer(data: object) -> int | str:
            return cast(int | str, data)

        signer = _parse_signer(d.pop("signer"))

        _type_ = d.pop("type", UNSET)
        type_: AnchorFieldInType | Unset
        if isinstance(_type_, Unset):
            type_ = UNSET
        else:
            type_ = AnchorFieldInType(_type_)

        def _parse_width(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        def _parse_height(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        anchor_field_in = cls(
            anchor=anchor,
            signer=signer,
            type_=type_,
            width=width,
            height=height,
            label=label,
        )

        return anchor_field_in
