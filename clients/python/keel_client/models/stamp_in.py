from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.stamp_in_pages_type_0 import StampInPagesType0
from ..models.stamp_in_position import StampInPosition
from ..types import UNSET, Unset

T = TypeVar("T", bound="StampIn")


@_attrs_define
class StampIn:
    """``POST /documents/{id}/stamp``: a short text drawn on pages, as a new version.

    Attributes:
        text (str):
        pages (list[int] | StampInPagesType0 | Unset):  Default: StampInPagesType0.ALL.
        position (StampInPosition | Unset):  Default: StampInPosition.CENTER.
        diagonal (bool | Unset):  Default: True.
    """

    text: str
    pages: list[int] | StampInPagesType0 | Unset = StampInPagesType0.ALL
    position: StampInPosition | Unset = StampInPosition.CENTER
    diagonal: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        pages: list[int] | str | Unset
        if isinstance(self.pages, Unset):
            pages = UNSET
        elif isinstance(self.pages, StampInPagesType0):
            pages = self.pages.value
        else:
            pages = self.pages

        position: str | Unset = UNSET
        if not isinstance(self.position, Unset):
            position = self.position.value

        diagonal = self.diagonal

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
            }
        )
        if pages is not UNSET:
            field_dict["pages"] = pages
        if position is not UNSET:
            field_dict["position"] = position
        if diagonal is not UNSET:
            field_dict["diagonal"] = diagonal

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        text = d.pop("text")

        def _parse_pages(data: object) -> list[int] | StampInPagesType0 | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                pages_type_0 = StampInPagesType0(data)

                return pages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            pages_type_1 = cast(list[int], data)

            return pages_type_1

        pages = _parse_pages(d.pop("pages", UNSET))

        _position = d.pop("position", UNSET)
        position: StampInPosition | Unset
        if isinstance(_position, Unset):
            position = UNSET
        else:
            position = StampInPosition(_position)

        diagonal = d.pop("diagonal", UNSET)

        stamp_in = cls(
            text=text,
            pages=pages,
            position=position,
            diagonal=diagonal,
        )

        return stamp_in
