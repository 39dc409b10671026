from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.booking_in_details import BookingInDetails


T = TypeVar("T", bound="BookingIn")


@_attrs_define
class BookingIn:
    """``end`` or ``duration``, not both. ``hold`` is how long a booking that needs confirmation waits.
    The checks across fields are the domain's (``bookings.check_input``), so each names its field.

        Attributes:
            resources (list[UUID]):
            start (datetime.datetime):
            end (datetime.datetime | None | Unset):
            duration (None | str | Unset):
            subject (None | str | Unset):
            entity_id (None | Unset | UUID):
            hold (str | Unset):  Default: 'PT10M'.
            requires_confirmation (bool | Unset):  Default: True.
            customer (None | Unset | UUID): the billing customer who pays: required when a resource requires payment, and
                only then
            details (BookingInDetails | Unset):
            recurrence (None | str | Unset): an RFC 5545 RRULE (e.g. RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10): a series, one
                booking per occurrence at start's local wall time; without COUNT or UNTIL it is capped (366, 2 years)
            timezone (None | str | Unset): the IANA zone whose wall time a series keeps (default: the first resource's)
            skip_conflicts (bool | Unset): a series books the occurrences that fit and reports the rest (default: all or
                nothing) Default: False.
    """

    resources: list[UUID]
    start: datetime.datetime
    end: datetime.datetime | None | Unset = UNSET
    duration: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET
    entity_id: None | Unset | UUID = UNSET
    hold: str | Unset = "PT10M"
    requires_confirmation: bool | Unset = True
    customer: None | Unset | UUID = UNSET
    details: BookingInDetails | Unset = UNSET
    recurrence: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    skip_conflicts: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        resources = []
        for resources_item_data in self.resources:
            resources_item = str(resources_item_data)
            resources.append(resources_item)

        start = self.start.isoformat()

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.datetime):
            end = self.end.isoformat()
        else:
            end = self.end

        duration: None | str | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        elif isinstance(self.entity_id, UUID):
            entity_id = str(self.entity_id)
        else:
            entity_id = self.entity_id

        hold = self.hold

        requires_confirmation = self.requires_confirmation

        customer: None | str | Unset
        if isinstance(self.customer, Unset):
            customer = UNSET
        elif isinstance(self.customer, UUID):
            customer = str(self.customer)
        else:
            customer = self.customer

        details: dict[str, Any] | Unset = UNSET
        if not isinstance(self.details, Unset):
            details = self.details.to_dict()

        recurrence: None | str | Unset
        if isinstance(self.recurrence, Unset):
            recurrence = UNSET
        else:
            recurrence = self.recurrence

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        skip_conflicts = self.skip_conflicts

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resources": resources,
                "start": start,
            }
        )
        if end is not UNSET:
            field_dict["end"] = end
        if duration is not UNSET:
            field_dict["duration"] = duration
        if subject is not UNSET:
            field_dict["subject"] = subject
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if hold is not UNSET:
            field_dict["hold"] = hold
        if requires_confirmation is not UNSET:
            field_dict["requires_confirmation"] = requires_confirmation
        if customer is not UNSET:
            field_dict["customer"] = customer
        if details is not UNSET:
            field_dict["details"] = details
        if recurrence is not UNSET:
            field_dict["recurrence"] = recurrence
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if skip_conflicts is not UNSET:
            field_dict["skip_conflicts"] = skip_conflicts

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.booking_in_details import BookingInDetails

        d = dict(src_dict)
        resources = []
        _resources = d.pop("resources")
        for resources_item_data in _resources:
            resources_item = UUID(resources_item_data)

            resources.append(resources_item)

        start = datetime.datetime.fromisoformat(d.pop("start"))

        def _parse_end(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.datetime.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        def _parse_duration(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_entity_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                entity_id_type_0 = UUID(data)

                return entity_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))

        hold = d.pop("hold", UNSET)

        requires_confirmation = d.pop("requires_confirmation", UNSET)

        def _parse_customer(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                customer_type_0 = UUID(data)

                return customer_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        customer = _parse_customer(d.pop("customer", UNSET))

        _details = d.pop("details", UNSET)
        details: BookingInDetails | Unset
        if isinstance(_details, Unset):
            details = UNSET
        else:
            details = BookingInDetails.from_dict(_details)

        def _parse_recurrence(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recurrence = _parse_recurrence(d.pop("recurrence", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        skip_conflicts = d.pop("skip_conflicts", UNSET)

        booking_in = cls(
            resources=resources,
            start=start,
            end=end,
            duration=duration,
            subject=subject,
            entity_id=entity_id,
            hold=hold,
            requires_confirmation=requires_confirmation,
            customer=customer,
            details=details,
            recurrence=recurrence,
            timezone=timezone,
            skip_conflicts=skip_conflicts,
        )

        return booking_in
