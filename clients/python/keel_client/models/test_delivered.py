from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.attempt_record_out import AttemptRecordOut
    from ..models.webhook_delivery_out import WebhookDeliveryOut


T = TypeVar("T", bound="TestDelivered")


@_attrs_define
class TestDelivered:
    """
    Attributes:
        delivery (WebhookDeliveryOut):
        attempt (AttemptRecordOut | None):
    """

    delivery: WebhookDeliveryOut
    attempt: AttemptRecordOut | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attempt_record_out import AttemptRecordOut

        delivery = self.delivery.to_dict()

        attempt: dict[str, Any] | None
        if isinstance(self.attempt, AttemptRecordOut):
            attempt = self.attempt.to_dict()
        else:
            attempt = self.attempt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "delivery": delivery,
                "attempt": attempt,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attempt_record_out import AttemptRecordOut
        from ..models.webhook_delivery_out import WebhookDeliveryOut

        d = dict(src_dict)
        delivery = WebhookDeliveryOut.from_dict(d.pop("delivery"))

        def _parse_attempt(data: object) -> AttemptRecordOut | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attempt_type_0 = AttemptRecordOut.from_dict(data)

                return attempt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttemptRecordOut | None, data)

        attempt = _parse_attempt(d.pop("attempt"))

        test_delivered = cls(
            delivery=delivery,
            attempt=attempt,
        )

        test_delivered.additional_properties = d
        return test_delivered

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
