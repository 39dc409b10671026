from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Progress")


@_attrs_define
class Progress:
    """
    Attributes:
        total (int | None): recipients; null until the audience is resolved
        sent (int): sent, delivered or opened
        failed (int):
        suppressed (int): by preference or a suppressed address
        cancelled (int):
        pending (int):
    """

    total: int | None
    sent: int
    failed: int
    suppressed: int
    cancelled: int
    pending: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total: int | None
        total = self.total

        sent = self.sent

        failed = self.failed

        suppressed = self.suppressed

        cancelled = self.cancelled

        pending = self.pending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "total": total,
                "sent": sent,
                "failed": failed,
                "suppressed": suppressed,
                "cancelled": cancelled,
                "pending": pending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        total = _parse_total(d.pop("total"))

        sent = d.pop("sent")

        failed = d.pop("failed")

        suppressed = d.pop("suppressed")

        cancelled = d.pop("cancelled")

        pending = d.pop("pending")

        progress = cls(
            total=total,
            sent=sent,
            failed=failed,
            suppressed=suppressed,
            cancelled=cancelled,
            pending=pending,
        )

        progress.additional_properties = d
        return progress

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
