from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SlotPreferencesIn")


@_attrs_define
class SlotPreferencesIn:
    """Exactly one of them.

    Attributes:
        earliest (bool | None | Unset):
        prefer_resources (list[UUID] | None | Unset):
        balance_load (bool | None | Unset):
    """

    earliest: bool | None | Unset = UNSET
    prefer_resources: list[UUID] | None | Unset = UNSET
    balance_load: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        earliest: bool | None | Unset
        if isinstance(self.earliest, Unset):
            earliest = UNSET
        else:
            earliest = self.earliest

        prefer_resources: list[str] | None | Unset
        if isinstance(self.prefer_resources, Unset):
            prefer_resources = UNSET
        elif isinstance(self.prefer_resources, list):
            prefer_resources = []
            for prefer_resources_type_0_item_data in self.prefer_resources:
                prefer_resources_type_0_item = str(prefer_resources_type_0_item_data)
                prefer_resources.append(prefer_resources_type_0_item)

        else:
            prefer_resources = self.prefer_resources

        balance_load: bool | None | Unset
        if isinstance(self.balance_load, Unset):
            balance_load = UNSET
        else:
            balance_load = self.balance_load

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if earliest is not UNSET:
            field_dict["earliest"] = earliest
        if prefer_resources is not UNSET:
            field_dict["prefer_resources"] = prefer_resources
        if balance_load is not UNSET:
            field_dict["balance_load"] = balance_load

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_earliest(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        earliest = _parse_earliest(d.pop("earliest", UNSET))

        def _parse_prefer_resources(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                prefer_resources_type_0 = []
                _prefer_resources_type_0 = data
                for prefer_resources_type_0_item_data in _prefer_resources_type_0:
                    prefer_resources_type_0_item = UUID(
                        prefer_resources_type_0_item_data
                    )

                    prefer_resources_type_0.append(prefer_resources_type_0_item)

                return prefer_resources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        prefer_resources = _parse_prefer_resources(d.pop("prefer_resources", UNSET))

        def _parse_balance_load(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        balance_load = _parse_balance_load(d.pop("balance_load", UNSET))

        slot_preferences_in = cls(
            earliest=earliest,
            prefer_resources=prefer_resources,
            balance_load=balance_load,
        )

        return slot_preferences_in
