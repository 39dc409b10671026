from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.period_out import PeriodOut


T = TypeVar("T", bound="UtilisationOut")


@_attrs_define
class UtilisationOut:
    """
    Attributes:
        resource_id (UUID):
        timezone (str):
        start (datetime.datetime):
        end (datetime.datetime):
        granularity (str):
        available_hours (float):
        booked_hours (float):
        utilisation (float | None):
        periods (list[PeriodOut]):
    """

    resource_id: UUID
    timezone: str
    start: datetime.datetime
    end: datetime.datetime
    granularity: str
    available_hours: float
    booked_hours: float
    utilisation: float | None
    periods: list[PeriodOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource_id = str(self.resource_id)

        timezone = self.timezone

        start = self.start.isoformat()

        end = self.end.isoformat()

        granularity = self.granularity

        available_hours = self.available_hours

        booked_hours = self.booked_hours

        utilisation: float | None
        utilisation = self.utilisation

        periods = []
        for periods_item_data in self.periods:
            periods_item = periods_item_data.to_dict()
            periods.append(periods_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resource_id": resource_id,
                "timezone": timezone,
                "start": start,
                "end": end,
                "granularity": granularity,
                "available_hours": available_hours,
                "booked_hours": booked_hours,
                "utilisation": utilisation,
                "periods": periods,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.period_out import PeriodOut

        d = dict(src_dict)
        resource_id = UUID(d.pop("resource_id"))

        timezone = d.pop("timezone")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        granularity = d.pop("granularity")

        available_hours = d.pop("available_hours")

        booked_hours = d.pop("booked_hours")

        def _parse_utilisation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        utilisation = _parse_utilisation(d.pop("utilisation"))

        periods = []
        _periods = d.pop("periods")
        for periods_item_data in _periods:
            periods_item = PeriodOut.from_dict(periods_item_data)

            periods.append(periods_item)

        utilisation_out = cls(
            resource_id=resource_id,
            timezone=timezone,
            start=start,
            end=end,
            granularity=granularity,
            available_hours=available_hours,
            booked_hours=booked_hours,
            utilisation=utilisation,
            periods=periods,
        )

        utilisation_out.additional_properties = d
        return utilisation_out

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
