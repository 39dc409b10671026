from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.series_out_status import SeriesOutStatus

if TYPE_CHECKING:
    from ..models.occurrence_out import OccurrenceOut
    from ..models.series_out_details import SeriesOutDetails
    from ..models.skipped_out import SkippedOut


T = TypeVar("T", bound="SeriesOut")


@_attrs_define
class SeriesOut:
    """
    Attributes:
        id (UUID):
        rrule (str): the rule as booked: an unbounded rule gets the COUNT it was capped at
        timezone (str):
        first_start (datetime.datetime):
        duration (str): ISO 8601, e.g. PT1H
        resources (list[UUID]):
        subject (None | str):
        status (SeriesOutStatus):
        capped (bool):
        details (SeriesOutDetails):
        created_by (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        bookings (list[OccurrenceOut]):
        skipped (list[SkippedOut]):
    """

    id: UUID
    rrule: str
    timezone: str
    first_start: datetime.datetime
    duration: str
    resources: list[UUID]
    subject: None | str
    status: SeriesOutStatus
    capped: bool
    details: SeriesOutDetails
    created_by: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    bookings: list[OccurrenceOut]
    skipped: list[SkippedOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        rrule = self.rrule

        timezone = self.timezone

        first_start = self.first_start.isoformat()

        duration = self.duration

        resources = []
        for resources_item_data in self.resources:
            resources_item = str(resources_item_data)
            resources.append(resources_item)

        subject: None | str
        subject = self.subject

        status = self.status.value

        capped = self.capped

        details = self.details.to_dict()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        bookings = []
        for bookings_item_data in self.bookings:
            bookings_item = bookings_item_data.to_dict()
            bookings.append(bookings_item)

        skipped = []
        for skipped_item_data in self.skipped:
            skipped_item = skipped_item_data.to_dict()
            skipped.append(skipped_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "rrule": rrule,
                "timezone": timezone,
                "first_start": first_start,
                "duration": duration,
                "resources": resources,
                "subject": subject,
                "status": status,
                "capped": capped,
                "details": details,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
                "bookings": bookings,
                "skipped": skipped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.occurrence_out import OccurrenceOut
        from ..models.series_out_details import SeriesOutDetails
        from ..models.skipped_out import SkippedOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        rrule = d.pop("rrule")

        timezone = d.pop("timezone")

        first_start = datetime.datetime.fromisoformat(d.pop("first_start"))

        duration = d.pop("duration")

        resources = []
        _resources = d.pop("resources")
        for resources_item_data in _resources:
            resources_item = UUID(resources_item_data)

            resources.append(resources_item)

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        status = SeriesOutStatus(d.pop("status"))

        capped = d.pop("capped")

        details = SeriesOutDetails.from_dict(d.pop("details"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        bookings = []
        _bookings = d.pop("bookings")
        for bookings_item_data in _bookings:
            bookings_item = OccurrenceOut.from_dict(bookings_item_data)

            bookings.append(bookings_item)

        skipped = []
        _skipped = d.pop("skipped")
        for skipped_item_data in _skipped:
            skipped_item = SkippedOut.from_dict(skipped_item_data)

            skipped.append(skipped_item)

        series_out = cls(
            id=id,
            rrule=rrule,
            timezone=timezone,
            first_start=first_start,
            duration=duration,
            resources=resources,
            subject=subject,
            status=status,
            capped=capped,
            details=details,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            bookings=bookings,
            skipped=skipped,
        )

        series_out.additional_properties = d
        return series_out

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
