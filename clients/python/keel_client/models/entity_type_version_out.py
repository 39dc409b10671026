from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.entity_type_version_out_dedup_type_0 import (
        EntityTypeVersionOutDedupType0,
    )
    from ..models.entity_type_version_out_schema import EntityTypeVersionOutSchema
    from ..models.entity_type_version_out_search_type_0 import (
        EntityTypeVersionOutSearchType0,
    )


T = TypeVar("T", bound="EntityTypeVersionOut")


@_attrs_define
class EntityTypeVersionOut:
    """
    Attributes:
        schema (EntityTypeVersionOutSchema):
        unique (list[str]):
        dedup (EntityTypeVersionOutDedupType0 | None):
        search (EntityTypeVersionOutSearchType0 | None):
        statuses (list[str]):
        version (int):
        created_by (None | UUID):
        created_at (datetime.datetime):
    """

    schema: EntityTypeVersionOutSchema
    unique: list[str]
    dedup: EntityTypeVersionOutDedupType0 | None
    search: EntityTypeVersionOutSearchType0 | None
    statuses: list[str]
    version: int
    created_by: None | UUID
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_type_version_out_dedup_type_0 import (
            EntityTypeVersionOutDedupType0,
        )
        from ..models.entity_type_version_out_search_type_0 import (
            EntityTypeVersionOutSearchType0,
        )

        schema = self.schema.to_dict()

        unique = self.unique

        dedup: dict[str, Any] | None
        if isinstance(self.dedup, EntityTypeVersionOutDedupType0):
            dedup = self.dedup.to_dict()
        else:
            dedup = self.dedup

        search: dict[str, Any] | None
        if isinstance(self.search, EntityTypeVersionOutSearchType0):
            search = self.search.to_dict()
        else:
            search = self.search

        statuses = self.statuses

        version = self.version

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "schema": schema,
                "unique": unique,
                "dedup": dedup,
                "search": search,
                "statuses": statuses,
                "version": version,
                "created_by": created_by,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_type_version_out_dedup_type_0 import (
            EntityTypeVersionOutDedupType0,
        )
        from ..models.entity_type_version_out_schema import EntityTypeVersionOutSchema
        from ..models.entity_type_version_out_search_type_0 import (
            EntityTypeVersionOutSearchType0,
        )

        d = dict(src_dict)
        schema = EntityTypeVersionOutSchema.from_dict(d.pop("schema"))

        unique = cast(list[str], d.pop("unique"))

        def _parse_dedup(data: object) -> EntityTypeVersionOutDedupType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedup_type_0 = EntityTypeVersionOutDedupType0.from_dict(data)

                return dedup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntityTypeVersionOutDedupType0 | None, data)

        dedup = _parse_dedup(d.pop("dedup"))

        def _parse_search(data: object) -> EntityTypeVersionOutSearchType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                search_type_0 = EntityTypeVersionOutSearchType0.from_dict(data)

                return search_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EntityTypeVersionOutSearchType0 | None, data)

        search = _parse_search(d.pop("search"))

        statuses = cast(list[str], d.pop("statuses"))

        version = d.pop("version")

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

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        entity_type_version_out = cls(
            schema=schema,
            unique=unique,
            dedup=dedup,
            search=search,
            statuses=statuses,
            version=version,
            created_by=created_by,
            created_at=created_at,
        )

        entity_type_version_out.additional_properties = d
        return entity_type_version_out

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
