from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dunning_in_then_type_0 import DunningInThenType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="DunningIn")


@_attrs_define
class DunningIn:
    """
    Attributes:
        reminders (list[str] | Unset):
        final_notice (None | str | Unset):
        then (DunningInThenType0 | None | Unset): after the final notice: mark the invoice uncollectible, or nothing
            more
        charge_retries (list[str] | Unset): charge_automatically invoices: when a failed charge is tried again, after
            the first try (P1D, P3D, P5D when left out; [] for no retry)
    """

    reminders: list[str] | Unset = UNSET
    final_notice: None | str | Unset = UNSET
    then: DunningInThenType0 | None | Unset = UNSET
    charge_retries: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reminders: list[str] | Unset = UNSET
        if not isinstance(self.reminders, Unset):
            reminders = self.reminders

        final_notice: None | str | Unset
        if isinstance(self.final_notice, Unset):
            final_notice = UNSET
        else:
            final_notice = self.final_notice

        then: None | str | Unset
        if isinstance(self.then, Unset):
            then = UNSET
        elif isinstance(self.then, DunningInThenType0):
            then = self.then.value
        else:
            then = self.then

        charge_retries: list[str] | Unset = UNSET
        if not isinstance(self.charge_retries, Unset):
            charge_retries = self.charge_retries

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reminders is not UNSET:
            field_dict["reminders"] = reminders
        if final_notice is not UNSET:
            field_dict["final_notice"] = final_notice
        if then is not UNSET:
            field_dict["then"] = then
        if charge_retries is not UNSET:
            field_dict["charge_retries"] = charge_retries

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reminders = cast(list[str], d.pop("reminders", UNSET))

        def _parse_final_notice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        final_notice = _parse_final_notice(d.pop("final_notice", UNSET))

        def _parse_then(data: object) -> DunningInThenType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                then_type_0 = DunningInThenType0(data)

                return then_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DunningInThenType0 | None | Unset, data)

        then = _parse_then(d.pop("then", UNSET))

        charge_retries = cast(list[str], d.pop("charge_retries", UNSET))

        dunning_in = cls(
            reminders=reminders,
            final_notice=final_notice,
            then=then,
            charge_retries=charge_retries,
        )

        return dunning_in
