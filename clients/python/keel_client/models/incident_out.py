from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.incident_out_status import IncidentOutStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="IncidentOut")


@_attrs_define
class IncidentOut:
    """
    Attributes:
        id (UUID):
        alert_id (UUID):
        status (IncidentOutStatus):
        opened_at (datetime.datetime):
        reason (str):
        resolved_at (datetime.datetime | None | Unset):
        observed_at (None | str | Unset): the observed bucket's start, local time
        observed (float | None | Unset):
        expected_low (float | None | Unset):
        expected_high (float | None | Unset):
        resolution (None | str | Unset):
    """

    id: UUID
    alert_id: UUID
    status: IncidentOutStatus
    opened_at: datetime.datetime
    reason: str
    resolved_at: datetime.datetime | None | Unset = UNSET
    observed_at: None | str | Unset = UNSET
    observed: float | None | Unset = UNSET
    expected_low: float | None | Unset = UNSET
    expected_high: float | None | Unset = UNSET
    resolution: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        alert_id = str(self.alert_id)

        status = self.status.value

        opened_at = self.opened_at.isoformat()

        reason = self.reason

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        observed_at: None | str | Unset
        if isinstance(self.observed_at, Unset):
            observed_at = UNSET
        else:
            observed_at = self.observed_at

        observed: float | None | Unset
        if isinstance(self.observed, Unset):
            observed = UNSET
        else:
            observed = self.observed

        expected_low: float | None | Unset
        if isinstance(self.expected_low, Unset):
            expected_low = UNSET
        else:
            expected_low = self.expected_low

        expected_high: float | None | Unset
        if isinstance(self.expected_high, Unset):
            expected_high = UNSET
        else:
            expected_high = self.expected_high

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        else:
            resolution = self.resolution

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "alert_id": alert_id,
                "status": status,
                "opened_at": opened_at,
                "reason": reason,
            }
        )
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if observed_at is not UNSET:
            field_dict["observed_at"] = observed_at
        if observed is not UNSET:
            field_dict["observed"] = observed
        if expected_low is not UNSET:
            field_dict["expected_low"] = expected_low
        if expected_high is not UNSET:
            field_dict["expected_high"] = expected_high
        if resolution is not UNSET:
            field_dict["resolution"] = resolution

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        alert_id = UUID(d.pop("alert_id"))

        status = IncidentOutStatus(d.pop("status"))

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        reason = d.pop("reason")

        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        def _parse_observed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        observed_at = _parse_observed_at(d.pop("observed_at", UNSET))

        def _parse_observed(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        observed = _parse_observed(d.pop("observed", UNSET))

        def _parse_expected_low(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_low = _parse_expected_low(d.pop("expected_low", UNSET))

        def _parse_expected_high(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_high = _parse_expected_high(d.pop("expected_high", UNSET))

        def _parse_resolution(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        incident_out = cls(
            id=id,
            alert_id=alert_id,
            status=status,
            opened_at=opened_at,
            reason=reason,
            resolved_at=resolved_at,
            observed_at=observed_at,
            observed=observed,
            expected_low=expected_low,
            expected_high=expected_high,
            resolution=resolution,
        )

        incident_out.additional_properties = d
        return incident_out

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
