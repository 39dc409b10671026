from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.entity_search_in_filters_additional_property_type_5 import (
        EntitySearchInFiltersAdditionalPropertyType5,
    )


T = TypeVar("T", bound="EntitySearchInFilters")


@_attrs_define
class EntitySearchInFilters:
    """attribute: value, [values], or {"gte"|"gt"|"lte"|"lt"|"ne"|"eq"|"in": …}"""

    additional_properties: dict[
        str,
        bool
        | EntitySearchInFiltersAdditionalPropertyType5
        | float
        | int
        | list[bool | float | int | str]
        | str,
    ] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.entity_search_in_filters_additional_property_type_5 import (
            EntitySearchInFiltersAdditionalPropertyType5,
        )

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, list):
                field_dict[prop_name] = []
                for additional_property_type_4_item_data in prop:
                    additional_property_type_4_item: bool | float | int | str
                    additional_property_type_4_item = (
                        additional_property_type_4_item_data
                    )
                    field_dict[prop_name].append(additional_property_type_4_item)

            elif isinstance(prop, EntitySearchInFiltersAdditionalPropertyType5):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entity_search_in_filters_additional_property_type_5 import (
            EntitySearchInFiltersAdditionalPropertyType5,
        )

        d = dict(src_dict)
        entity_search_in_filters = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
                data: object,
            ) -> (
                bool
                | EntitySearchInFiltersAdditionalPropertyType5
                | float
                | int
                | list[bool | float | int | str]
                | str
            ):
                try:
                    if not isinstance(data, list):
                        raise TypeError()
                    additional_property_type_4 = []
                    _additional_property_type_4 = data
                    for (
                        additional_property_type_4_item_data
                    ) in _additional_property_type_4:

                        def _parse_additional_property_type_4_item(
                            data: object,
                        ) -> bool | float | int | str:
                            return cast(bool | float | int | str, data)

                        additional_property_type_4_item = (
                            _parse_additional_property_type_4_item(
                                additional_property_type_4_item_data
                            )
                        )

                        additional_property_type_4.append(
                            additional_property_type_4_item
                        )

                    return additional_property_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_5 = (
                        EntitySearchInFiltersAdditionalPropertyType5.from_dict(data)
                    )

                    return additional_property_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                return cast(
                    bool
                    | EntitySearchInFiltersAdditionalPropertyType5
                    | float
                    | int
                    | list[bool | float | int | str]
                    | str,
                    data,
                )

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        entity_search_in_filters.additional_properties = additional_properties
        return entity_search_in_filters

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
    ) -> (
        bool
        | EntitySearchInFiltersAdditionalPropertyType5
        | float
        | int
        | list[bool | float | int | str]
        | str
    ):
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: bool
        | EntitySearchInFiltersAdditionalPropertyType5
        | float
        | list[bool | float | int | str]
        | str,
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
