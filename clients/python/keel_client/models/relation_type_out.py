from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.relation_type_out_cardinality import RelationTypeOutCardinality

if TYPE_CHECKING:
    from ..models.relation_type_out_attributes_schema_type_0 import (
        RelationTypeOutAttributesSchemaType0,
    )


T = TypeVar("T", bound="RelationTypeOut")


@_attrs_define
class RelationTypeOut:
    """
    Attributes:
        id (UUID):
        name (str):
        label (None | str):
        source_types (list[str]):
        target_types (list[str]):
        cardinality (RelationTypeOutCardinality):
        attributes_schema (None | RelationTypeOutAttributesSchemaType0):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    name: str
    label: None | str
    source_types: list[str]
    target_types: list[str]
    cardinality: RelationTypeOutCardinality
    attributes_schema: None | RelationTypeOutAttributesSchemaType0
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.relation_type_out_attributes_schema_type_0 import (
            RelationTypeOutAttributesSchemaType0,
        )

        id = str(self.id)

        name = self.name

        label: None | str
        label = self.label

        source_types = self.source_types

        target_types = self.target_types

        cardinality = self.cardinality.value

        attributes_schema: dict[str, Any] | None
        if isinstance(self.attributes_schema, RelationTypeOutAttributesSchemaType0):
            attributes_schema = self.attributes_schema.to_dict()
        else:
            attributes_schema = self.attributes_schema

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "label": label,
                "source_types": source_types,
                "target_types": target_types,
                "cardinality": cardinality,
                "attributes_schema": attributes_schema,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.relation_type_out_attributes_schema_type_0 import (
            RelationTypeOutAttributesSchemaType0,
        )

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        source_types = cast(list[str], d.pop("source_types"))

        target_types = cast(list[str], d.pop("target_types"))

        cardinality = RelationTypeOutCardinality(d.pop("cardinality"))

        def _parse_attributes_schema(
            data: object,
        ) -> None | RelationTypeOutAttributesSchemaType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_schema_type_0 = (
                    RelationTypeOutAttributesSchemaType0.from_dict(data)
                )

                return attributes_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RelationTypeOutAttributesSchemaType0, data)

        attributes_schema = _parse_attributes_schema(d.pop("attributes_schema"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        relation_type_out = cls(
            id=id,
            name=name,
            label=label,
            source_types=source_types,
            target_types=target_types,
            cardinality=cardinality,
            attributes_schema=attributes_schema,
            created_at=created_at,
            updated_at=updated_at,
        )

        relation_type_out.additional_properties = d
        return relation_type_out

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
