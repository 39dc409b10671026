from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.notification_preferences_in_opt_out import (
        NotificationPreferencesInOptOut,
    )
    from ..models.quiet_hours import QuietHours


T = TypeVar("T", bound="NotificationPreferencesIn")


@_attrs_define
class NotificationPreferencesIn:
    """A full replace of the caller's preferences; omitted fields return to their defaults.

    Attributes:
        region (None | str | Unset): ISO 3166 region of a national phone number
        phone (None | str | Unset): E.164, or national with region
        timezone (str | Unset):  Default: 'UTC'.
        locale (str | Unset):  Default: 'en'.
        quiet_hours (None | QuietHours | Unset):
        opt_out (NotificationPreferencesInOptOut | Unset): category -> channels you do not want
        push_endpoints (list[str] | Unset):
        critical_categories (list[str] | None | Unset): read-only: ignored
    """

    region: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    timezone: str | Unset = "UTC"
    locale: str | Unset = "en"
    quiet_hours: None | QuietHours | Unset = UNSET
    opt_out: NotificationPreferencesInOptOut | Unset = UNSET
    push_endpoints: list[str] | Unset = UNSET
    critical_categories: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.quiet_hours import QuietHours

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        timezone = self.timezone

        locale = self.locale

        quiet_hours: dict[str, Any] | None | Unset
        if isinstance(self.quiet_hours, Unset):
            quiet_hours = UNSET
        elif isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours

        opt_out: dict[str, Any] | Unset = UNSET
        if not isinstance(self.opt_out, Unset):
            opt_out = self.opt_out.to_dict()

        push_endpoints: list[str] | Unset = UNSET
        if not isinstance(self.push_endpoints, Unset):
            push_endpoints = self.push_endpoints

        critical_categories: list[str] | None | Unset
        if isinstance(self.critical_categories, Unset):
            critical_categories = UNSET
        elif isinstance(self.critical_categories, list):
            critical_categories = self.critical_categories

        else:
            critical_categories = self.critical_categories

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if region is not UNSET:
            field_dict["region"] = region
        if phone is not UNSET:
            field_dict["phone"] = phone
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if locale is not UNSET:
            field_dict["locale"] = locale
        if quiet_hours is not UNSET:
            field_dict["quiet_hours"] = quiet_hours
        if opt_out is not UNSET:
            field_dict["opt_out"] = opt_out
        if push_endpoints is not UNSET:
            field_dict["push_endpoints"] = push_endpoints
        if critical_categories is not UNSET:
            field_dict["critical_categories"] = critical_categories

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.notification_preferences_in_opt_out import (
            NotificationPreferencesInOptOut,
        )
        from ..models.quiet_hours import QuietHours

        d = dict(src_dict)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        timezone = d.pop("timezone", UNSET)

        locale = d.pop("locale", UNSET)

        def _parse_quiet_hours(data: object) -> None | QuietHours | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_0 = QuietHours.from_dict(data)

                return quiet_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours | Unset, data)

        quiet_hours = _parse_quiet_hours(d.pop("quiet_hours", UNSET))

        _opt_out = d.pop("opt_out", UNSET)
        opt_out: NotificationPreferencesInOptOut | Unset
        if isinstance(_opt_out, Unset):
            opt_out = UNSET
        else:
            opt_out = NotificationPreferencesInOptOut.from_dict(_opt_out)

        push_endpoints = cast(list[str], d.pop("push_endpoints", UNSET))

        def _parse_critical_categories(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                critical_categories_type_0 = cast(list[str], data)

                return critical_categories_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        critical_categories = _parse_critical_categories(
            d.pop("critical_categories", UNSET)
        )

        notification_preferences_in = cls(
            region=region,
            phone=phone,
            timezone=timezone,
            locale=locale,
            quiet_hours=quiet_hours,
            opt_out=opt_out,
            push_endpoints=push_endpoints,
            critical_categories=critical_categories,
        )

        return notification_preferences_in
