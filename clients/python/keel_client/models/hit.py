from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.hit_attributes import HitAttributes
    from ..models.hit_highlights import HitHighlights


T = TypeVar("T", bound="Hit")


@_attrs_define
class Hit:
    """
    Attributes:
        id (UUID):
        type_ (str):
        attributes (HitAttributes):
        highlights (HitHighlights): field: snippet with <mark>…</mark> around matches
        score (int): Typesense's text match score; higher is better
        external_id (None | str | Unset):
        status (None | str | Unset):
    """

    id: UUID
    type_: str
    attributes: HitAttributes
    highlights: HitHighlights
    score: int
    external_id: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        attributes = self.attributes.to_dict()

        highlights = self.highlights.to_dict()

        score = self.score

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "attributes": attributes,
                "highlights": highlights,
                "score": score,
            }
        )
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.hit_attributes import HitAttributes
        from ..models.hit_highlights import HitHighlights

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = d.pop("type")

        attributes = HitAttributes.from_dict(d.pop("attributes"))

        highlights = HitHighlights.from_dict(d.pop("highlights"))

        score = d.pop("score")

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        hit = cls(
            id=id,
            type_=type_,
            attributes=attributes,
            highlights=highlights,
            score=score,
            external_id=external_id,
            status=status,
        )

        hit.additional_properties = d
        return hit

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
