from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.preferences_out_opt_out import PreferencesOutOptOut
    from ..models.quiet_hours import QuietHours


T = TypeVar("T", bound="PreferencesOut")


@_attrs_define
class PreferencesOut:
    """
    Attributes:
        phone (None | str):
        timezone (str):
        locale (str):
        quiet_hours (None | QuietHours):
        opt_out (PreferencesOutOptOut):
        push_endpoints (list[str]):
        critical_categories (list[str]): read-only: categories nobody can opt out of
    """

    phone: None | str
    timezone: str
    locale: str
    quiet_hours: None | QuietHours
    opt_out: PreferencesOutOptOut
    push_endpoints: list[str]
    critical_categories: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.quiet_hours import QuietHours

        phone: None | str
        phone = self.phone

        timezone = self.timezone

        locale = self.locale

        quiet_hours: dict[str, Any] | None
        if isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours

        opt_out = self.opt_out.to_dict()

        push_endpoints = self.push_endpoints

        critical_categories = self.critical_categories

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phone": phone,
                "timezone": timezone,
                "locale": locale,
                "quiet_hours": quiet_hours,
                "opt_out": opt_out,
                "push_endpoints": push_endpoints,
                "critical_categories": critical_categories,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.preferences_out_opt_out import PreferencesOutOptOut
        from ..models.quiet_hours import QuietHours

        d = dict(src_dict)

        def _parse_phone(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone = _parse_phone(d.pop("phone"))

        timezone = d.pop("timezone")

        locale = d.pop("locale")

        def _parse_quiet_hours(data: object) -> None | QuietHours:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_0 = QuietHours.from_dict(data)

                return quiet_hours_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours, data)

        quiet_hours = _parse_quiet_hours(d.pop("quiet_hours"))

        opt_out = PreferencesOutOptOut.from_dict(d.pop("opt_out"))

        push_endpoints = cast(list[str], d.pop("push_endpoints"))

        critical_categories = cast(list[str], d.pop("critical_categories"))

        preferences_out = cls(
            phone=phone,
            timezone=timezone,
            locale=locale,
            quiet_hours=quiet_hours,
            opt_out=opt_out,
            push_endpoints=push_endpoints,
            critical_categories=critical_categories,
        )

        preferences_out.additional_properties = d
        return preferences_out

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
