from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookPatch")


@_attrs_define
class WebhookPatch:
    """Only the fields given change. ``active: true`` re-enables a subscription a 410 disabled.

    Attributes:
        url (None | str | Unset):
        events (list[str] | None | Unset):
        description (None | str | Unset):
        active (bool | None | Unset):
        retry_schedule (list[float | str] | None | Unset): delays before each attempt (0s, 30s, 5m, PT1H...); at most 20
            attempts spanning at most P3D in all; null for the deployment's default
    """

    url: None | str | Unset = UNSET
    events: list[str] | None | Unset = UNSET
    description: None | str | Unset = UNSET
    active: bool | None | Unset = UNSET
    retry_schedule: list[float | str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        events: list[str] | None | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, list):
            events = self.events

        else:
            events = self.events

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        active: bool | None | Unset
        if isinstance(self.active, Unset):
            active = UNSET
        else:
            active = self.active

        retry_schedule: list[float | str] | None | Unset
        if isinstance(self.retry_schedule, Unset):
            retry_schedule = UNSET
        elif isinstance(self.retry_schedule, list):
            retry_schedule = []
            for retry_schedule_type_0_item_data in self.retry_schedule:
                retry_schedule_type_0_item: float | str
                retry_schedule_type_0_item = retry_schedule_type_0_item_data
                retry_schedule.append(retry_schedule_type_0_item)

        else:
            retry_schedule = self.retry_schedule

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
        if description is not UNSET:
            field_dict["description"] = description
        if active is not UNSET:
            field_dict["active"] = active
        if retry_schedule is not UNSET:
            field_dict["retry_schedule"] = retry_schedule

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))

        def _parse_events(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                events_type_0 = cast(list[str], data)

                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        active = _parse_active(d.pop("active", UNSET))

        def _parse_retry_schedule(data: object) -> list[float | str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                retry_schedule_type_0 = []
                _retry_schedule_type_0 = data
                for retry_schedule_type_0_item_data in _retry_schedule_type_0:

                    def _parse_retry_schedule_type_0_item(data: object) -> float | str:
                        return cast(float | str, data)

                    retry_schedule_type_0_item = _parse_retry_schedule_type_0_item(
                        retry_schedule_type_0_item_data
                    )

                    retry_schedule_type_0.append(retry_schedule_type_0_item)

                return retry_schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float | str] | None | Unset, data)

        retry_schedule = _parse_retry_schedule(d.pop("retry_schedule", UNSET))

        webhook_patch = cls(
            url=url,
            events=events,
            description=description,
            active=active,
            retry_schedule=retry_schedule,
        )

        return webhook_patch
