from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_evaluation_condition import AlertEvaluationCondition
from ..models.alert_evaluation_state import AlertEvaluationState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.incident_out import IncidentOut


T = TypeVar("T", bound="AlertEvaluation")


@_attrs_define
class AlertEvaluation:
    """
    Attributes:
        alert_id (UUID):
        metric (str):
        condition (AlertEvaluationCondition):
        state (AlertEvaluationState):
        firing (bool):
        reason (str):
        evaluated_at (datetime.datetime):
        observed (float | None | Unset):
        observed_at (None | str | Unset):
        expected_low (float | None | Unset):
        expected_high (float | None | Unset):
        z (float | None | Unset): anomaly: the observed point's robust z-score
        previous (float | None | Unset): change: the period before's figure
        incident (IncidentOut | None | Unset): the incident open after this evaluation, or the one it resolved
    """

    alert_id: UUID
    metric: str
    condition: AlertEvaluationCondition
    state: AlertEvaluationState
    firing: bool
    reason: str
    evaluated_at: datetime.datetime
    observed: float | None | Unset = UNSET
    observed_at: None | str | Unset = UNSET
    expected_low: float | None | Unset = UNSET
    expected_high: float | None | Unset = UNSET
    z: float | None | Unset = UNSET
    previous: float | None | Unset = UNSET
    incident: IncidentOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.incident_out import IncidentOut

        alert_id = str(self.alert_id)

        metric = self.metric

        condition = self.condition.value

        state = self.state.value

        firing = self.firing

        reason = self.reason

        evaluated_at = self.evaluated_at.isoformat()

        observed: float | None | Unset
        if isinstance(self.observed, Unset):
            observed = UNSET
        else:
            observed = self.observed

        observed_at: None | str | Unset
        if isinstance(self.observed_at, Unset):
            observed_at = UNSET
        else:
            observed_at = self.observed_at

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

        z: float | None | Unset
        if isinstance(self.z, Unset):
            z = UNSET
        else:
            z = self.z

        previous: float | None | Unset
        if isinstance(self.previous, Unset):
            previous = UNSET
        else:
            previous = self.previous

        incident: dict[str, Any] | None | Unset
        if isinstance(self.incident, Unset):
            incident = UNSET
        elif isinstance(self.incident, IncidentOut):
            incident = self.incident.to_dict()
        else:
            incident = self.incident

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alert_id": alert_id,
                "metric": metric,
                "condition": condition,
                "state": state,
                "firing": firing,
                "reason": reason,
                "evaluated_at": evaluated_at,
            }
        )
        if observed is not UNSET:
            field_dict["observed"] = observed
        if observed_at is not UNSET:
            field_dict["observed_at"] = observed_at
        if expected_low is not UNSET:
            field_dict["expected_low"] = expected_low
        if expected_high is not UNSET:
            field_dict["expected_high"] = expected_high
        if z is not UNSET:
            field_dict["z"] = z
        if previous is not UNSET:
            field_dict["previous"] = previous
        if incident is not UNSET:
            field_dict["incident"] = incident

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.incident_out import IncidentOut

        d = dict(src_dict)
        alert_id = UUID(d.pop("alert_id"))

        metric = d.pop("metric")

        condition = AlertEvaluationCondition(d.pop("condition"))

        state = AlertEvaluationState(d.pop("state"))

        firing = d.pop("firing")

        reason = d.pop("reason")

        evaluated_at = datetime.datetime.fromisoformat(d.pop("evaluated_at"))

        def _parse_observed(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        observed = _parse_observed(d.pop("observed", UNSET))

        def _parse_observed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        observed_at = _parse_observed_at(d.pop("observed_at", UNSET))

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

        def _parse_z(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        z = _parse_z(d.pop("z", UNSET))

        def _parse_previous(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        previous = _parse_previous(d.pop("previous", UNSET))

        def _parse_incident(data: object) -> IncidentOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                incident_type_0 = IncidentOut.from_dict(data)

                return incident_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IncidentOut | None | Unset, data)

        incident = _parse_incident(d.pop("incident", UNSET))

        alert_evaluation = cls(
            alert_id=alert_id,
            metric=metric,
            condition=condition,
            state=state,
            firing=firing,
            reason=reason,
            evaluated_at=evaluated_at,
            observed=observed,
            observed_at=observed_at,
            expected_low=expected_low,
            expected_high=expected_high,
            z=z,
            previous=previous,
            incident=incident,
        )

        alert_evaluation.additional_properties = d
        return alert_evaluation

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
