from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage_line_out import UsageLineOut


T = TypeVar("T", bound="SubscriptionUsageOut")


@_attrs_define
class SubscriptionUsageOut:
    """
    Attributes:
        subscription (UUID):
        period_start (datetime.datetime):
        period_end (datetime.datetime):
        currency (str):
        lines (list[UsageLineOut]):
        total (str):
    """

    subscription: UUID
    period_start: datetime.datetime
    period_end: datetime.datetime
    currency: str
    lines: list[UsageLineOut]
    total: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subscription = str(self.subscription)

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        currency = self.currency

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subscription": subscription,
                "period_start": period_start,
                "period_end": period_end,
                "currency": currency,
                "lines": lines,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.usage_line_out import UsageLineOut

        d = dict(src_dict)
        subscription = UUID(d.pop("subscription"))

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        currency = d.pop("currency")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = UsageLineOut.from_dict(lines_item_data)

            lines.append(lines_item)

        total = d.pop("total")

        subscription_usage_out = cls(
            subscription=subscription,
            period_start=period_start,
            period_end=period_end,
            currency=currency,
            lines=lines,
            total=total,
        )

        subscription_usage_out.additional_properties = d
        return subscription_usage_out

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
