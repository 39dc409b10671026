from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.add_version_json_regenerate_in_data import (
        AddVersionJsonRegenerateInData,
    )


T = TypeVar("T", bound="AddVersionJsonRegenerateIn")


@_attrs_define
class AddVersionJsonRegenerateIn:
    """``POST /documents/{id}/versions`` as JSON: render the pinned template again with new data.

    Attributes:
        data (AddVersionJsonRegenerateInData):
        note (None | str | Unset):
    """

    data: AddVersionJsonRegenerateInData
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "data": data,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.add_version_json_regenerate_in_data import (
            AddVersionJsonRegenerateInData,
        )

        d = dict(src_dict)
        data = AddVersionJsonRegenerateInData.from_dict(d.pop("data"))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        add_version_json_regenerate_in = cls(
            data=data,
            note=note,
        )

        return add_version_json_regenerate_in
