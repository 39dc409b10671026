from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rule_in_kind import RuleInKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="RuleIn")


@_attrs_define
class RuleIn:
    """One body for every kind; which fields a kind needs is checked field by field by the service.

    weekly: weekdays, start, end · override: date and start/end, or closed=true ·
    closure: rrule, dtstart, exdates, optional start/end · block: starts_at, ends_at.

        Attributes:
            kind (RuleInKind):
            weekdays (list[int | str] | None | Unset): 0 = Monday … 6, or MO … SU
            start (None | str | Unset): local wall time HH:MM
            end (None | str | Unset): local wall time HH:MM; 24:00 is midnight
            date (datetime.date | None | Unset):
            closed (bool | None | Unset):
            rrule (None | str | Unset): RFC 5545 RRULE text
            dtstart (datetime.date | None | Unset):
            exdates (list[datetime.date] | None | Unset):
            starts_at (datetime.datetime | None | Unset):
            ends_at (datetime.datetime | None | Unset):
            note (None | str | Unset):
    """

    kind: RuleInKind
    weekdays: list[int | str] | None | Unset = UNSET
    start: None | str | Unset = UNSET
    end: None | str | Unset = UNSET
    date: datetime.date | None | Unset = UNSET
    closed: bool | None | Unset = UNSET
    rrule: None | str | Unset = UNSET
    dtstart: datetime.date | None | Unset = UNSET
    exdates: list[datetime.date] | None | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    note: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        weekdays: list[int | str] | None | Unset
        if isinstance(self.weekdays, Unset):
            weekdays = UNSET
        elif isinstance(self.weekdays, list):
            weekdays = []
            for weekdays_type_0_item_data in self.weekdays:
                weekdays_type_0_item: int | str
                weekdays_type_0_item = weekdays_type_0_item_data
                weekdays.append(weekdays_type_0_item)

        else:
            weekdays = self.weekdays

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        else:
            start = self.start

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        else:
            end = self.end

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        closed: bool | None | Unset
        if isinstance(self.closed, Unset):
            closed = UNSET
        else:
            closed = self.closed

        rrule: None | str | Unset
        if isinstance(self.rrule, Unset):
            rrule = UNSET
        else:
            rrule = self.rrule

        dtstart: None | str | Unset
        if isinstance(self.dtstart, Unset):
            dtstart = UNSET
        elif isinstance(self.dtstart, datetime.date):
            dtstart = self.dtstart.isoformat()
        else:
            dtstart = self.dtstart

        exdates: list[str] | None | Unset
        if isinstance(self.exdates, Unset):
            exdates = UNSET
        elif isinstance(self.exdates, list):
            exdates = []
            for exdates_type_0_item_data in self.exdates:
                exdates_type_0_item = exdates_type_0_item_data.isoformat()
                exdates.append(exdates_type_0_item)

        else:
            exdates = self.exdates

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if weekdays is not UNSET:
            field_dict["weekdays"] = weekdays
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end
        if date is not UNSET:
            field_dict["date"] = date
        if closed is not UNSET:
            field_dict["closed"] = closed
        if rrule is not UNSET:
            field_dict["rrule"] = rrule
        if dtstart is not UNSET:
            field_dict["dtstart"] = dtstart
        if exdates is not UNSET:
            field_dict["exdates"] = exdates
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kind = RuleInKind(d.pop("kind"))

        def _parse_weekdays(data: object) -> list[int | str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                weekdays_type_0 = []
                _weekdays_type_0 = data
                for weekdays_type_0_item_data in _weekdays_type_0:

                    def _parse_weekdays_type_0_item(data: object) -> int | str:
                        return cast(int | str, data)

                    weekdays_type_0_item = _parse_weekdays_type_0_item(
                        weekdays_type_0_item_data
                    )

                    weekdays_type_0.append(weekdays_type_0_item)

                return weekdays_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int | str] | None | Unset, data)

        weekdays = _parse_weekdays(d.pop("weekdays", UNSET))

        def _parse_start(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        def _parse_end(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        def _parse_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_closed(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        closed = _parse_closed(d.pop("closed", UNSET))

        def _parse_rrule(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rrule = _parse_rrule(d.pop("rrule", UNSET))

        def _parse_dtstart(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                dtstart_type_0 = datetime.date.fromisoformat(data)

                return dtstart_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        dtstart = _parse_dtstart(d.pop("dtstart", UNSET))

        def _parse_exdates(data: object) -> list[datetime.date] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                exdates_type_0 = []
                _exdates_type_0 = data
                for exdates_type_0_item_data in _exdates_type_0:
                    exdates_type_0_item = datetime.date.fromisoformat(
                        exdates_type_0_item_data
                    )

                    exdates_type_0.append(exdates_type_0_item)

                return exdates_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[datetime.date] | None | Unset, data)

        exdates = _parse_exdates(d.pop("exdates", UNSET))

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        rule_in = cls(
            kind=kind,
            weekdays=weekdays,
            start=start,
            end=end,
            date=date,
            closed=closed,
            rrule=rrule,
            dtstart=dtstart,
            exdates=exdates,
            starts_at=starts_at,
            ends_at=ends_at,
            note=note,
        )

        return rule_in
