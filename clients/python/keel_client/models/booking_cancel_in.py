from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.booking_cancel_in_scope import BookingCancelInScope
from ..types import UNSET, Unset

T = TypeVar("T", bound="BookingCancelIn")


@_attrs_define
class BookingCancelIn:
    """
    Attributes:
        reason (None | str | Unset):
        accept_fee (bool | Unset): required to cancel a confirmed booking within the free-cancellation window Default:
            False.
        scope (BookingCancelInScope | Unset): for a booking of a series: this, following or all Default:
            BookingCancelInScope.THIS.
    """

    reason: None | str | Unset = UNSET
    accept_fee: bool | Unset = False
    scope: BookingCancelInScope | Unset = BookingCancelInScope.THIS

    def to_dict(self) -> dict[str, Any]:
        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        accept_fee = self.accept_fee

        scope: str | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if reason is not UNSET:
            field_dict["reason"] = reason
        if accept_fee is not UNSET:
            field_dict["accept_fee"] = accept_fee
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        accept_fee = d.pop("accept_fee", UNSET)

        _scope = d.pop("scope", UNSET)
        scope: BookingCancelInScope | Unset
        if isinstance(_scope, Unset):
            scope = UNSET
        else:
            scope = BookingCancelInScope(_scope)

        booking_cancel_in = cls(
            reason=reason,
            accept_fee=accept_fee,
            scope=scope,
        )

        return booking_cancel_in
