from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.reschedule_in_scope import RescheduleInScope
from ..types import UNSET, Unset

T = TypeVar("T", bound="RescheduleIn")


@_attrs_define
class RescheduleIn:
    """The new span of the booking named; ``following``/``all`` shift the other occurrences by the same
    local wall-time change and give them the same length.

        Attributes:
            start (datetime.datetime):
            end (datetime.datetime | None | Unset):
            duration (None | str | Unset):
            scope (RescheduleInScope | Unset):  Default: RescheduleInScope.THIS.
            accept_fee (bool | Unset): required to move a confirmed booking within the free-cancellation window Default:
                False.
    """

    start: datetime.datetime
    end: datetime.datetime | None | Unset = UNSET
    duration: None | str | Unset = UNSET
    scope: RescheduleInScope | Unset = RescheduleInScope.THIS
    accept_fee: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
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

        scope: str | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope.value

        accept_fee = self.accept_fee

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start": start,
            }
        )
        if end is not UNSET:
            field_dict["end"] = end
        if duration is not UNSET:
            field_dict["duration"] = duration
        if scope is not UNSET:
            field_dict["scope"] = scope
        if accept_fee is not UNSET:
            field_dict["accept_fee"] = accept_fee

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
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

        _scope = d.pop("scope", UNSET)
        scope: RescheduleInScope | Unset
        if isinstance(_scope, Unset):
            scope = UNSET
        else:
            scope = RescheduleInScope(_scope)

        accept_fee = d.pop("accept_fee", UNSET)

        reschedule_in = cls(
            start=start,
            end=end,
            duration=duration,
            scope=scope,
            accept_fee=accept_fee,
        )

        return reschedule_in
