from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ingest_events_usage_batch_in_usage_event_in import (
        IngestEventsUsageBatchInUsageEventIn,
    )


T = TypeVar("T", bound="IngestEventsUsageBatchIn")


@_attrs_define
class IngestEventsUsageBatchIn:
    """
    Attributes:
        events (list[IngestEventsUsageBatchInUsageEventIn]):
    """

    events: list[IngestEventsUsageBatchInUsageEventIn]

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "events": events,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ingest_events_usage_batch_in_usage_event_in import (
            IngestEventsUsageBatchInUsageEventIn,
        )

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = IngestEventsUsageBatchInUsageEventIn.from_dict(
                events_item_data
            )

            events.append(events_item)

        ingest_events_usage_batch_in = cls(
            events=events,
        )

        return ingest_events_usage_batch_in
