from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.relation_type_update_cardinality import RelationTypeUpdateCardinality
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.relation_type_update_attributes_schema_type_0 import (
        RelationTypeUpdateAttributesSchemaType0,
    )


T = TypeVar("T", bound="RelationTypeUpdate")


@_attrs_define
class RelationTypeUpdate:
    """A full replacement; ``name`` may be sent but must equal the one in the path.

    Attributes:
        cardinality (RelationTypeUpdateCardinality):
        name (None | str | Unset):
        label (None | str | Unset):
        source_types (list[str] | Unset):
        target_types (list[str] | Unset):
        attributes_schema (None | RelationTypeUpdateAttributesSchemaType0 | Unset):
    """

    cardinality: RelationTypeUpdateCardinality
    name: None | str | Unset = UNSET
    label: None | str | Unset = UNSET
    source_types: list[str] | Unset = UNSET
    target_types: list[str] | Unset = UNSET
    attributes_schema: None | RelationTypeUpdateAttributesSchemaType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.relation_type_update_attributes_schema_type_0 import (
            RelationTypeUpdateAttributesSchemaType0,
        )

        cardinality = self.cardinality.value

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        source_types: list[str] | Unset = UNSET
        if not isinstance(self.source_types, Unset):
            source_types = self.source_types

        target_types: list[str] | Unset = UNSET
        if not isinstance(self.target_types, Unset):
            target_types = self.target_types

        attributes_schema: dict[str, Any] | None | Unset
        if isinstance(self.attributes_schema, Unset):
            attributes_schema = UNSET
        elif isinstance(
            self.attributes_schema, RelationTypeUpdateAttributesSchemaType0
        ):
            attributes_schema = self.attributes_schema.to_dict()
        else:
            attributes_schema = self.attributes_schema

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cardinality": cardinality,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if label is not UNSET:
            field_dict["label"] = label
        if source_types is not UNSET:
            field_dict["source_types"] = source_types
        if target_types is not UNSET:
            field_dict["target_types"] = target_types
        if attributes_schema is not UNSET:
            field_dict["attributes_schema"] = attributes_schema

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.relation_type_update_attributes_schema_type_0 import (
            RelationTypeUpdateAttributesSchemaType0,
        )

        d = dict(src_dict)
        cardinality = RelationTypeUpdateCardinality(d.pop("cardinality"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        source_types = cast(list[str], d.pop("source_types", UNSET))

        target_types = cast(list[str], d.pop("target_types", UNSET))

        def _parse_attributes_schema(
            data: object,
        ) -> None | RelationTypeUpdateAttributesSchemaType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_schema_type_0 = (
                    RelationTypeUpdateAttributesSchemaType0.from_dict(data)
                )

                return attributes_schema_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RelationTypeUpdateAttributesSchemaType0 | Unset, data)

        attributes_schema = _parse_attributes_schema(d.pop("attributes_schema", UNSET))

        relation_type_update = cls(
            cardinality=cardinality,
            name=name,
            label=label,
            source_types=source_types,
            target_types=target_types,
            attributes_schema=attributes_schema,
        )

        return relation_type_update
