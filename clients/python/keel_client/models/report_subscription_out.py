from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_subscription_out_delivery import ReportSubscriptionOutDelivery
from ..models.report_subscription_out_format import ReportSubscriptionOutFormat
from ..models.report_subscription_out_schedule_kind import (
    ReportSubscriptionOutScheduleKind,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recipient_out import RecipientOut


T = TypeVar("T", bound="ReportSubscriptionOut")


@_attrs_define
class ReportSubscriptionOut:
    """
    Attributes:
        id (UUID):
        schedule (str):
        schedule_kind (ReportSubscriptionOutScheduleKind):
        timezone (str):
        recipients (list[RecipientOut]):
        format_ (ReportSubscriptionOutFormat):
        delivery (ReportSubscriptionOutDelivery):
        paused (bool):
        next_runs (list[datetime.datetime]): the next five runs, in `timezone` (none while paused)
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        report_id (None | Unset | UUID):
        dashboard_id (None | Unset | UUID):
        created_by (None | Unset | UUID):
    """

    id: UUID
    schedule: str
    schedule_kind: ReportSubscriptionOutScheduleKind
    timezone: str
    recipients: list[RecipientOut]
    format_: ReportSubscriptionOutFormat
    delivery: ReportSubscriptionOutDelivery
    paused: bool
    next_runs: list[datetime.datetime]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    report_id: None | Unset | UUID = UNSET
    dashboard_id: None | Unset | UUID = UNSET
    created_by: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        schedule = self.schedule

        schedule_kind = self.schedule_kind.value

        timezone = self.timezone

        recipients = []
        for recipients_item_data in self.recipients:
            recipients_item = recipients_item_data.to_dict()
            recipients.append(recipients_item)

        format_ = self.format_.value

        delivery = self.delivery.value

        paused = self.paused

        next_runs = []
        for next_runs_item_data in self.next_runs:
            next_runs_item = next_runs_item_data.isoformat()
            next_runs.append(next_runs_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        report_id: None | str | Unset
        if isinstance(self.report_id, Unset):
            report_id = UNSET
        elif isinstance(self.report_id, UUID):
            report_id = str(self.report_id)
        else:
            report_id = self.report_id

        dashboard_id: None | str | Unset
        if isinstance(self.dashboard_id, Unset):
            dashboard_id = UNSET
        elif isinstance(self.dashboard_id, UUID):
            dashboard_id = str(self.dashboard_id)
        else:
            dashboard_id = self.dashboard_id

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        elif isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "schedule": schedule,
                "schedule_kind": schedule_kind,
                "timezone": timezone,
                "recipients": recipients,
                "format": format_,
                "delivery": delivery,
                "paused": paused,
                "next_runs": next_runs,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if report_id is not UNSET:
            field_dict["report_id"] = report_id
        if dashboard_id is not UNSET:
            field_dict["dashboard_id"] = dashboard_id
        if created_by is not UNSET:
            field_dict["created_by"] = created_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.recipient_out import RecipientOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        schedule = d.pop("schedule")

        schedule_kind = ReportSubscriptionOutScheduleKind(d.pop("schedule_kind"))

        timezone = d.pop("timezone")

        recipients = []
        _recipients = d.pop("recipients")
        for recipients_item_data in _recipients:
            recipients_item = RecipientOut.from_dict(recipients_item_data)

            recipients.append(recipients_item)

        format_ = ReportSubscriptionOutFormat(d.pop("format"))

        delivery = ReportSubscriptionOutDelivery(d.pop("delivery"))

        paused = d.pop("paused")

        next_runs = []
        _next_runs = d.pop("next_runs")
        for next_runs_item_data in _next_runs:
            next_runs_item = datetime.datetime.fromisoformat(next_runs_item_data)

            next_runs.append(next_runs_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_report_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                report_id_type_0 = UUID(data)

                return report_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        report_id = _parse_report_id(d.pop("report_id", UNSET))

        def _parse_dashboard_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dashboard_id_type_0 = UUID(data)

                return dashboard_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        dashboard_id = _parse_dashboard_id(d.pop("dashboard_id", UNSET))

        def _parse_created_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        created_by = _parse_created_by(d.pop("created_by", UNSET))

        report_subscription_out = cls(
            id=id,
            schedule=schedule,
            schedule_kind=schedule_kind,
            timezone=timezone,
            recipients=recipients,
            format_=format_,
            delivery=delivery,
            paused=paused,
            next_runs=next_runs,
            created_at=created_at,
            updated_at=updated_at,
            report_id=report_id,
            dashboard_id=dashboard_id,
            created_by=created_by,
        )

        report_subscription_out.additional_properties = d
        return report_subscription_out

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
