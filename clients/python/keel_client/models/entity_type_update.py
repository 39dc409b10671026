from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dedup import Dedup
    from ..models.entity_type_update_schema import EntityTypeUpdateSchema
    from ..models.search_settings import SearchSettings


T = TypeVar("T", bound="EntityTypeUpdate")


@_attrs_define
class EntityTypeUpdate:
    """PUT: the whole definition except the name (which is in the path).

    Attributes:
        schema (EntityTypeUpdateSchema):
        label (None | str | Unset):
        description (None | str | Unset):
        unique (list[str] | Unset):
        dedup (Dedup | None | Unset):
        search (None | SearchSettings | Unset):
        statuses (list[str] | Unset):
    """

    schema: EntityTypeUpdateSchema
    label: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    unique: list[str] | Unset = UNSET
    dedup: Dedup | None | Unset = UNSET
    search: None | SearchSettings | Unset = UNSET
    statuses: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.dedup import Dedup
        from ..models.search_settings import SearchSettings

        schema = self.schema.to_dict()

        label: None | str | Unset
        if isinstance(self.label, Unset):
            label = UNSET
        else:
            label = self.label

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        unique: list[str] | Unset = UNSET
        if not isinstance(self.unique, Unset):
            unique = self.unique

        dedup: dict[str, Any] | None | Unset
        if isinstance(self.dedup, Unset):
            dedup = UNSET
        elif isinstance(self.dedup, Dedup):
            dedup = self.dedup.to_dict()
        else:
            dedup = self.dedup

        search: dict[str, Any] | None | Unset
        if isinstance(self.search, Unset):
            search = UNSET
        elif isinstance(self.search, SearchSettings):
            search = self.search.to_dict()
        else:
            search = self.search

        statuses: list[str] | Unset = UNSET
        if not isinstance(self.statuses, Unset):
            statuses = self.statuses

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "schema": schema,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if description is not UNSET:
            field_dict["description"] = description
        if unique is not UNSET:
            field_dict["unique"] = unique
        if dedup is not UNSET:
            field_dict["dedup"] = dedup
        if search is not UNSET:
            field_dict["search"] = search
        if statuses is not UNSET:
            field_dict["statuses"] = statuses

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.dedup import Dedup
        from ..models.entity_type_update_schema import EntityTypeUpdateSchema
        from ..models.search_settings import SearchSettings

        d = dict(src_dict)
        schema = EntityTypeUpdateSchema.from_dict(d.pop("schema"))

        def _parse_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        label = _parse_label(d.pop("label", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        unique = cast(list[str], d.pop("unique", UNSET))

        def _parse_dedup(data: object) -> Dedup | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                dedup_type_0 = Dedup.from_dict(data)

                return dedup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Dedup | None | Unset, data)

        dedup = _parse_dedup(d.pop("dedup", UNSET))

        def _parse_search(data: object) -> None | SearchSettings | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                search_type_0 = SearchSettings.from_dict(data)

                return search_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SearchSettings | Unset, data)

        search = _parse_search(d.pop("search", UNSET))

        statuses = cast(list[str], d.pop("statuses", UNSET))

        entity_type_update = cls(
            schema=schema,
            label=label,
            description=description,
            unique=unique,
            dedup=dedup,
            search=search,
            statuses=statuses,
        )

        return entity_type_update
