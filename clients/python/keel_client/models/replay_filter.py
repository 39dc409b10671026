from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.replay_filter_status import ReplayFilterStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReplayFilter")


@_attrs_define
class ReplayFilter:
    """Which dead letters to replay; an empty body replays every failed delivery (up to ``limit``).

    Attributes:
        status (ReplayFilterStatus | Unset):  Default: ReplayFilterStatus.FAILED.
        event_type (None | str | Unset): task.completed, task.* or *
        since (datetime.datetime | None | Unset): deliveries created at or after this instant
        until (datetime.datetime | None | Unset): deliveries created before this instant
        delivery_ids (list[UUID] | None | Unset):
        limit (int | Unset):  Default: 500.
    """

    status: ReplayFilterStatus | Unset = ReplayFilterStatus.FAILED
    event_type: None | str | Unset = UNSET
    since: datetime.datetime | None | Unset = UNSET
    until: datetime.datetime | None | Unset = UNSET
    delivery_ids: list[UUID] | None | Unset = UNSET
    limit: int | Unset = 500

    def to_dict(self) -> dict[str, Any]:
        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        event_type: None | str | Unset
        if isinstance(self.event_type, Unset):
            event_type = UNSET
        else:
            event_type = self.event_type

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        elif isinstance(self.until, datetime.datetime):
            until = self.until.isoformat()
        else:
            until = self.until

        delivery_ids: list[str] | None | Unset
        if isinstance(self.delivery_ids, Unset):
            delivery_ids = UNSET
        elif isinstance(self.delivery_ids, list):
            delivery_ids = []
            for delivery_ids_type_0_item_data in self.delivery_ids:
                delivery_ids_type_0_item = str(delivery_ids_type_0_item_data)
                delivery_ids.append(delivery_ids_type_0_item)

        else:
            delivery_ids = self.delivery_ids

        limit = self.limit

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if status is not UNSET:
            field_dict["status"] = status
        if event_type is not UNSET:
            field_dict["event_type"] = event_type
        if since is not UNSET:
            field_dict["since"] = since
        if until is not UNSET:
            field_dict["until"] = until
        if delivery_ids is not UNSET:
            field_dict["delivery_ids"] = delivery_ids
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _status = d.pop("status", UNSET)
        status: ReplayFilterStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ReplayFilterStatus(_status)

        def _parse_event_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        event_type = _parse_event_type(d.pop("event_type", UNSET))

        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)

                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))

        def _parse_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                until_type_0 = datetime.datetime.fromisoformat(data)

                return until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        def _parse_delivery_ids(data: object) -> list[UUID] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                delivery_ids_type_0 = []
                _delivery_ids_type_0 = data
                for delivery_ids_type_0_item_data in _delivery_ids_type_0:
                    delivery_ids_type_0_item = UUID(delivery_ids_type_0_item_data)

                    delivery_ids_type_0.append(delivery_ids_type_0_item)

                return delivery_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UUID] | None | Unset, data)

        delivery_ids = _parse_delivery_ids(d.pop("delivery_ids", UNSET))

        limit = d.pop("limit", UNSET)

        replay_filter = cls(
            status=status,
            event_type=event_type,
            since=since,
            until=until,
            delivery_ids=delivery_ids,
            limit=limit,
        )

        return replay_filter
