from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.report_subscription_patch_delivery_type_0 import (
    ReportSubscriptionPatchDeliveryType0,
)
from ..models.report_subscription_patch_format_type_0 import (
    ReportSubscriptionPatchFormatType0,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportSubscriptionPatch")


@_attrs_define
class ReportSubscriptionPatch:
    """The fields sent change; the subscription they make is checked whole.

    Attributes:
        schedule (None | str | Unset):
        timezone (None | str | Unset):
        recipients (list[str] | None | Unset):
        format_ (None | ReportSubscriptionPatchFormatType0 | Unset):
        delivery (None | ReportSubscriptionPatchDeliveryType0 | Unset):
        paused (bool | None | Unset):
    """

    schedule: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    recipients: list[str] | None | Unset = UNSET
    format_: None | ReportSubscriptionPatchFormatType0 | Unset = UNSET
    delivery: None | ReportSubscriptionPatchDeliveryType0 | Unset = UNSET
    paused: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        schedule: None | str | Unset
        if isinstance(self.schedule, Unset):
            schedule = UNSET
        else:
            schedule = self.schedule

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        recipients: list[str] | None | Unset
        if isinstance(self.recipients, Unset):
            recipients = UNSET
        elif isinstance(self.recipients, list):
            recipients = self.recipients

        else:
            recipients = self.recipients

        format_: None | str | Unset
        if isinstance(self.format_, Unset):
            format_ = UNSET
        elif isinstance(self.format_, ReportSubscriptionPatchFormatType0):
            format_ = self.format_.value
        else:
            format_ = self.format_

        delivery: None | str | Unset
        if isinstance(self.delivery, Unset):
            delivery = UNSET
        elif isinstance(self.delivery, ReportSubscriptionPatchDeliveryType0):
            delivery = self.delivery.value
        else:
            delivery = self.delivery

        paused: bool | None | Unset
        if isinstance(self.paused, Unset):
            paused = UNSET
        else:
            paused = self.paused

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if schedule is not UNSET:
            field_dict["schedule"] = schedule
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if format_ is not UNSET:
            field_dict["format"] = format_
        if delivery is not UNSET:
            field_dict["delivery"] = delivery
        if paused is not UNSET:
            field_dict["paused"] = paused

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_schedule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        schedule = _parse_schedule(d.pop("schedule", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_recipients(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recipients_type_0 = cast(list[str], data)

                return recipients_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        recipients = _parse_recipients(d.pop("recipients", UNSET))

        def _parse_format_(
            data: object,
        ) -> None | ReportSubscriptionPatchFormatType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                format_type_0 = ReportSubscriptionPatchFormatType0(data)

                return format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReportSubscriptionPatchFormatType0 | Unset, data)

        format_ = _parse_format_(d.pop("format", UNSET))

        def _parse_delivery(
            data: object,
        ) -> None | ReportSubscriptionPatchDeliveryType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivery_type_0 = ReportSubscriptionPatchDeliveryType0(data)

                return delivery_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReportSubscriptionPatchDeliveryType0 | Unset, data)

        delivery = _parse_delivery(d.pop("delivery", UNSET))

        def _parse_paused(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        paused = _parse_paused(d.pop("paused", UNSET))

        report_subscription_patch = cls(
            schedule=schedule,
            timezone=timezone,
            recipients=recipients,
            format_=format_,
            delivery=delivery,
            paused=paused,
        )

        return report_subscription_patch
