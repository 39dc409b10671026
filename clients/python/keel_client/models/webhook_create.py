from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreate")


@_attrs_define
class WebhookCreate:
    """
    Attributes:
        url (str):
        events (list[str]):
        description (None | str | Unset):
        retry_schedule (list[float | str] | None | Unset): delays before each attempt (0s, 30s, 5m, PT1H...); at most 20
            attempts spanning at most P3D in all; null for the deployment's default
    """

    url: str
    events: list[str]
    description: None | str | Unset = UNSET
    retry_schedule: list[float | str] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        events = self.events

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

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
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
                "events": events,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if retry_schedule is not UNSET:
            field_dict["retry_schedule"] = retry_schedule

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        events = cast(list[str], d.pop("events"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

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

        webhook_create = cls(
            url=url,
            events=events,
            description=description,
            retry_schedule=retry_schedule,
        )

        webhook_create.additional_properties = d
        return webhook_create

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
