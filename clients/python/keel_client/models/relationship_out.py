from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.end_ref import EndRef
    from ..models.relationship_out_attributes import RelationshipOutAttributes


T = TypeVar("T", bound="RelationshipOut")


@_attrs_define
class RelationshipOut:
    """
    Attributes:
        id (UUID):
        relation_type (str):
        source (EndRef):
        target (EndRef):
        attributes (RelationshipOutAttributes):
        created_at (datetime.datetime):
        created_by (None | UUID):
    """

    id: UUID
    relation_type: str
    source: EndRef
    target: EndRef
    attributes: RelationshipOutAttributes
    created_at: datetime.datetime
    created_by: None | UUID
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        relation_type = self.relation_type

        source = self.source.to_dict()

        target = self.target.to_dict()

        attributes = self.attributes.to_dict()

        created_at = self.created_at.isoformat()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "relation_type": relation_type,
                "source": source,
                "target": target,
                "attributes": attributes,
                "created_at": created_at,
                "created_by": created_by,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.end_ref import EndRef
        from ..models.relationship_out_attributes import RelationshipOutAttributes

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        relation_type = d.pop("relation_type")

        source = EndRef.from_dict(d.pop("source"))

        target = EndRef.from_dict(d.pop("target"))

        attributes = RelationshipOutAttributes.from_dict(d.pop("attributes"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        relationship_out = cls(
            id=id,
            relation_type=relation_type,
            source=source,
            target=target,
            attributes=attributes,
            created_at=created_at,
            created_by=created_by,
        )

        relationship_out.additional_properties = d
        return relationship_out

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
