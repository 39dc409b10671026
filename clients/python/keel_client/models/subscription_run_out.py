from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.subscription_run_out_status import SubscriptionRunOutStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="SubscriptionRunOut")


@_attrs_define
class SubscriptionRunOut:
    """
    Attributes:
        id (UUID):
        subscription_id (UUID):
        status (SubscriptionRunOutStatus):
        period_end (datetime.datetime):
        recipients (int): emails queued
        created_at (datetime.datetime):
        period_start (datetime.datetime | None | Unset): the previous scheduled run
        report_run_id (None | Unset | UUID):
        error (None | str | Unset):
        finished_at (datetime.datetime | None | Unset):
    """

    id: UUID
    subscription_id: UUID
    status: SubscriptionRunOutStatus
    period_end: datetime.datetime
    recipients: int
    created_at: datetime.datetime
    period_start: datetime.datetime | None | Unset = UNSET
    report_run_id: None | Unset | UUID = UNSET
    error: None | str | Unset = UNSET
    finished_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        subscription_id = str(self.subscription_id)

        status = self.status.value

        period_end = self.period_end.isoformat()

        recipients = self.recipients

        created_at = self.created_at.isoformat()

        period_start: None | str | Unset
        if isinstance(self.period_start, Unset):
            period_start = UNSET
        elif isinstance(self.period_start, datetime.datetime):
            period_start = self.period_start.isoformat()
        else:
            period_start = self.period_start

        report_run_id: None | str | Unset
        if isinstance(self.report_run_id, Unset):
            report_run_id = UNSET
        elif isinstance(self.report_run_id, UUID):
            report_run_id = str(self.report_run_id)
        else:
            report_run_id = self.report_run_id

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        elif isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "subscription_id": subscription_id,
                "status": status,
                "period_end": period_end,
                "recipients": recipients,
                "created_at": created_at,
            }
        )
        if period_start is not UNSET:
            field_dict["period_start"] = period_start
        if report_run_id is not UNSET:
            field_dict["report_run_id"] = report_run_id
        if error is not UNSET:
            field_dict["error"] = error
        if finished_at is not UNSET:
            field_dict["finished_at"] = finished_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        subscription_id = UUID(d.pop("subscription_id"))

        status = SubscriptionRunOutStatus(d.pop("status"))

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        recipients = d.pop("recipients")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_period_start(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_start_type_0 = datetime.datetime.fromisoformat(data)

                return period_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        period_start = _parse_period_start(d.pop("period_start", UNSET))

        def _parse_report_run_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                report_run_id_type_0 = UUID(data)

                return report_run_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        report_run_id = _parse_report_run_id(d.pop("report_run_id", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_finished_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        finished_at = _parse_finished_at(d.pop("finished_at", UNSET))

        subscription_run_out = cls(
            id=id,
            subscription_id=subscription_id,
            status=status,
            period_end=period_end,
            recipients=recipients,
            created_at=created_at,
            period_start=period_start,
            report_run_id=report_run_id,
            error=error,
            finished_at=finished_at,
        )

        subscription_run_out.additional_properties = d
        return subscription_run_out

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
