from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DunningOut")


@_attrs_define
class DunningOut:
    """
    Attributes:
        reminders (list[str]):
        final_notice (None | str):
        then (None | str):
        charge_retries (list[str]):
    """

    reminders: list[str]
    final_notice: None | str
    then: None | str
    charge_retries: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reminders = self.reminders

        final_notice: None | str
        final_notice = self.final_notice

        then: None | str
        then = self.then

        charge_retries = self.charge_retries

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reminders": reminders,
                "final_notice": final_notice,
                "then": then,
                "charge_retries": charge_retries,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reminders = cast(list[str], d.pop("reminders"))

        def _parse_final_notice(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        final_notice = _parse_final_notice(d.pop("final_notice"))

        def _parse_then(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        then = _parse_then(d.pop("then"))

        charge_retries = cast(list[str], d.pop("charge_retries"))

        dunning_out = cls(
            reminders=reminders,
            final_notice=final_notice,
            then=then,
            charge_retries=charge_retries,
        )

        dunning_out.additional_properties = d
        return dunning_out

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
