from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.entity_type_out_dedup_type_0 import EntityTypeOutDedupType0
    from ..models.entity_type_out_schema import EntityTypeOutSchema
    from ..models.entity_type_out_search_type_0 import EntityTypeOutSearchType0


T = TypeVar("T", bound="EntityTypeOut")


@_attrs_define
class EntityTypeOut:
    """
    Attributes:
        schema (EntityTypeOutSchema):
        unique (list[str]):
        dedup (EntityTypeOutDedupType0 | None):
        search (EntityTypeOutSearchType0 | None):
        statuses (list[str]):
        id (UUID):
        name (str):
        label (None | str):
        description (None | str):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    schema: EntityTypeOutSchema
    unique: list[str]
    dedup: EntityTypeOutDedupType0 | None
    search: EntityTypeOutSearchType0 | None
    statuses: list[str]
    id: UUID
    name: str
    label: None | str
    description: None | str
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_type_out_dedup_type_0 import EntityTypeOutDedupType0
        from ..models.entity_type_out_search_type_0 import EntityTypeOutSearchType0

        schema = self.schema.to_dict()

        unique = self.unique

        dedup: dict[str, Any] | None
        if isinstance(self.dedup, EntityTypeOutDedupType0):
            dedup = self.dedup.to_dict()
        else:
            dedup = self.dedup

        search: dict[str, Any] | None
        if isinstance(self.search, EntityTypeOutSearchType0):
            search = self.search.to_dict()
        else:
            search = self.search

        statuses = self.statuses

        id = str(self.id)

        name = self.name

        label: None | str
        label = self.label

        description: None | str
        description = self.description

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "schema": schema,
                "unique": unique,
                "dedup": dedup,
                "search": search,
                "statuses": statuses,
                "id": id,
                "name": name,
                "label": label,
                "description": description,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_type_out_dedup_type_0 import EntityTypeOutDedupType0
        from ..models.entity_type_out_schema import EntityTypeOutSchema
        from ..models.entity_type_out_search_type_0 import EntityTypeOutSearchType0

        d = dict(src_dict)
        schema = EntityTypeOutSchema.from_dict(d.pop("schema"))

        unique = cast(list[str], d.pop("unique"))

        def _parse_dedup(data: object) -> EntityTypeOutDedupType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedup_type_0 = EntityTypeOutDedupType0.from_dict(data)

                return dedup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntityTypeOutDedupType0 | None, data)

        dedup = _parse_dedup(d.pop("dedup"))

        def _parse_search(data: object) -> EntityTypeOutSearchType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                search_type_0 = EntityTypeOutSearchType0.from_dict(data)

                return search_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntityTypeOutSearchType0 | None, data)

        search = _parse_search(d.pop("search"))

        statuses = cast(list[str], d.pop("statuses"))

        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        entity_type_out = cls(
            schema=schema,
            unique=unique,
            dedup=dedup,
            search=search,
            statuses=statuses,
            id=id,
            name=name,
            label=label,
            description=description,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        entity_type_out.additional_properties = d
        return entity_type_out

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
