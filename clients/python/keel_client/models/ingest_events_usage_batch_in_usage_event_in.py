from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ingest_events_usage_batch_in_usage_event_in_properties import (
        IngestEventsUsageBatchInUsageEventInProperties,
    )


T = TypeVar("T", bound="IngestEventsUsageBatchInUsageEventIn")


@_attrs_define
class IngestEventsUsageBatchInUsageEventIn:
    """
    Attributes:
        transaction_id (str): your id of the event, 1-255 printable characters: an event is stored once per id
        metric (str):
        timestamp (datetime.datetime): when it happened, RFC 3339 with an offset
        customer (None | Unset | UUID): required unless `subscription` is given (then it is the subscription's)
        subscription (None | Unset | UUID): a subscription of this tenant, of the event's customer: billed on its period
        properties (IngestEventsUsageBatchInUsageEventInProperties | Unset):
    """

    transaction_id: str
    metric: str
    timestamp: datetime.datetime
    customer: None | Unset | UUID = UNSET
    subscription: None | Unset | UUID = UNSET
    properties: IngestEventsUsageBatchInUsageEventInProperties | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        transaction_id = self.transaction_id

        metric = self.metric

        timestamp = self.timestamp.isoformat()

        customer: None | str | Unset
        if isinstance(self.customer, Unset):
            customer = UNSET
        elif isinstance(self.customer, UUID):
            customer = str(self.customer)
        else:
            customer = self.customer

        subscription: None | str | Unset
        if isinstance(self.subscription, Unset):
            subscription = UNSET
        elif isinstance(self.subscription, UUID):
            subscription = str(self.subscription)
        else:
            subscription = self.subscription

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transaction_id": transaction_id,
                "metric": metric,
                "timestamp": timestamp,
            }
        )
        if customer is not UNSET:
            field_dict["customer"] = customer
        if subscription is not UNSET:
            field_dict["subscription"] = subscription
        if properties is not UNSET:
            field_dict["properties"] = properties

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ingest_events_usage_batch_in_usage_event_in_properties import (
            IngestEventsUsageBatchInUsageEventInProperties,
        )

        d = dict(src_dict)
        transaction_id = d.pop("transaction_id")

        metric = d.pop("metric")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_customer(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_type_0 = UUID(data)

                return customer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer = _parse_customer(d.pop("customer", UNSET))

        def _parse_subscription(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subscription_type_0 = UUID(data)

                return subscription_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        subscription = _parse_subscription(d.pop("subscription", UNSET))

        _properties = d.pop("properties", UNSET)
        properties: IngestEventsUsageBatchInUsageEventInProperties | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = IngestEventsUsageBatchInUsageEventInProperties.from_dict(
                _properties
            )

        ingest_events_usage_batch_in_usage_event_in = cls(
            transaction_id=transaction_id,
            metric=metric,
            timestamp=timestamp,
            customer=customer,
            subscription=subscription,
            properties=properties,
        )

        return ingest_events_usage_batch_in_usage_event_in
