from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.metric_usage_out_aggregation import MetricUsageOutAggregation

T = TypeVar("T", bound="MetricUsageOut")


@_attrs_define
class MetricUsageOut:
    """
    Attributes:
        metric (str):
        customer (UUID):
        subscription (None | UUID):
        aggregation (MetricUsageOutAggregation):
        from_ (datetime.datetime):
        to (datetime.datetime):
        value (str): the aggregated quantity as a decimal string, "0" when no event counts
    """

    metric: str
    customer: UUID
    subscription: None | UUID
    aggregation: MetricUsageOutAggregation
    from_: datetime.datetime
    to: datetime.datetime
    value: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        customer = str(self.customer)

        subscription: None | str
        if isinstance(self.subscription, UUID):
            subscription = str(self.subscription)
        else:
            subscription = self.subscription

        aggregation = self.aggregation.value

        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "metric": metric,
                "customer": customer,
                "subscription": subscription,
                "aggregation": aggregation,
                "from": from_,
                "to": to,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        metric = d.pop("metric")

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

        aggregation = MetricUsageOutAggregation(d.pop("aggregation"))

        from_ = datetime.datetime.fromisoformat(d.pop("from"))

        to = datetime.datetime.fromisoformat(d.pop("to"))

        value = d.pop("value")

        metric_usage_out = cls(
            metric=metric,
            customer=customer,
            subscription=subscription,
            aggregation=aggregation,
            from_=from_,
            to=to,
            value=value,
        )

        metric_usage_out.additional_properties = d
        return metric_usage_out

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
