from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.usage_event_out_properties import UsageEventOutProperties


T = TypeVar("T", bound="UsageEventOut")


@_attrs_define
class UsageEventOut:
    """
    Attributes:
        transaction_id (str):
        customer (UUID):
        subscription (None | UUID):
        metric (str):
        timestamp (datetime.datetime):
        properties (UsageEventOutProperties):
        received_at (datetime.datetime): when Keel stored it
    """

    transaction_id: str
    customer: UUID
    subscription: None | UUID
    metric: str
    timestamp: datetime.datetime
    properties: UsageEventOutProperties
    received_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        transaction_id = self.transaction_id

        customer = str(self.customer)

        subscription: None | str
        if isinstance(self.subscription, UUID):
            subscription = str(self.subscription)
        else:
            subscription = self.subscription

        metric = self.metric

        timestamp = self.timestamp.isoformat()

        properties = self.properties.to_dict()

        received_at = self.received_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "transaction_id": transaction_id,
                "customer": customer,
                "subscription": subscription,
                "metric": metric,
                "timestamp": timestamp,
                "properties": properties,
                "received_at": received_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.usage_event_out_properties import UsageEventOutProperties

        d = dict(src_dict)
        transaction_id = d.pop("transaction_id")

        customer = UUID(d.pop("customer"))

        def _parse_subscription(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subscription_type_0 = UUID(data)

                return subscription_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        subscription = _parse_subscription(d.pop("subscription"))

        metric = d.pop("metric")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        properties = UsageEventOutProperties.from_dict(d.pop("properties"))

        received_at = datetime.datetime.fromisoformat(d.pop("received_at"))

        usage_event_out = cls(
            transaction_id=transaction_id,
            customer=customer,
            subscription=subscription,
            metric=metric,
            timestamp=timestamp,
            properties=properties,
            received_at=received_at,
        )

        usage_event_out.additional_properties = d
        return usage_event_out

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
