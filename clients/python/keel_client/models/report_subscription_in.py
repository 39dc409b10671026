from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.report_subscription_in_delivery import ReportSubscriptionInDelivery
from ..models.report_subscription_in_format import ReportSubscriptionInFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportSubscriptionIn")


@_attrs_define
class ReportSubscriptionIn:
    """
    Attributes:
        schedule (str): a cron expression of 5 fields (`0 8 * * MON`) or an RRULE
            (`FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0`); at most one run an hour
        recipients (list[str]): user ids or emails of active users
        report (None | Unset | UUID): a report's id
        dashboard (None | Unset | UUID): a dashboard's id
        timezone (None | str | Unset): IANA; default the tenant's
        format_ (ReportSubscriptionInFormat | Unset): csv, json, xlsx or pdf; a dashboard's tiles: json or csv Default:
            ReportSubscriptionInFormat.CSV.
        delivery (ReportSubscriptionInDelivery | Unset): `link`: a signed download link, valid seven days; `attachment`:
            the file attached to the email as well, up to 10 MB (a larger one is linked only) Default:
            ReportSubscriptionInDelivery.LINK.
        paused (bool | Unset):  Default: False.
    """

    schedule: str
    recipients: list[str]
    report: None | Unset | UUID = UNSET
    dashboard: None | Unset | UUID = UNSET
    timezone: None | str | Unset = UNSET
    format_: ReportSubscriptionInFormat | Unset = ReportSubscriptionInFormat.CSV
    delivery: ReportSubscriptionInDelivery | Unset = ReportSubscriptionInDelivery.LINK
    paused: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        schedule = self.schedule

        recipients = self.recipients

        report: None | str | Unset
        if isinstance(self.report, Unset):
            report = UNSET
        elif isinstance(self.report, UUID):
            report = str(self.report)
        else:
            report = self.report

        dashboard: None | str | Unset
        if isinstance(self.dashboard, Unset):
            dashboard = UNSET
        elif isinstance(self.dashboard, UUID):
            dashboard = str(self.dashboard)
        else:
            dashboard = self.dashboard

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value

        delivery: str | Unset = UNSET
        if not isinstance(self.delivery, Unset):
            delivery = self.delivery.value

        paused = self.paused

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "schedule": schedule,
                "recipients": recipients,
            }
        )
        if report is not UNSET:
            field_dict["report"] = report
        if dashboard is not UNSET:
            field_dict["dashboard"] = dashboard
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
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
        schedule = d.pop("schedule")

        recipients = cast(list[str], d.pop("recipients"))

        def _parse_report(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                report_type_0 = UUID(data)

                return report_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        report = _parse_report(d.pop("report", UNSET))

        def _parse_dashboard(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dashboard_type_0 = UUID(data)

                return dashboard_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        dashboard = _parse_dashboard(d.pop("dashboard", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        _format_ = d.pop("format", UNSET)
        format_: ReportSubscriptionInFormat | Unset
        if isinstance(_format_, Unset):
            format_ = UNSET
        else:
            format_ = ReportSubscriptionInFormat(_format_)

        _delivery = d.pop("delivery", UNSET)
        delivery: ReportSubscriptionInDelivery | Unset
        if isinstance(_delivery, Unset):
            delivery = UNSET
        else:
            delivery = ReportSubscriptionInDelivery(_delivery)

        paused = d.pop("paused", UNSET)

        report_subscription_in = cls(
            schedule=schedule,
            recipients=recipients,
            report=report,
            dashboard=dashboard,
            timezone=timezone,
            format_=format_,
            delivery=delivery,
            paused=paused,
        )

        return report_subscription_in
