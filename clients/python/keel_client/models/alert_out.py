from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alert_out_condition import AlertOutCondition
from ..models.alert_out_state_type_0 import AlertOutStateType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alert_out_filter import AlertOutFilter
    from ..models.alert_out_params import AlertOutParams


T = TypeVar("T", bound="AlertOut")


@_attrs_define
class AlertOut:
    """
    Attributes:
        id (UUID):
        metric (str):
        condition (AlertOutCondition):
        params (AlertOutParams):
        filter_ (AlertOutFilter):
        notify (list[str]): as notified: `user:<email>` or `role:<name>`
        enabled (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        name (None | str | Unset):
        description (None | str | Unset):
        state (AlertOutStateType0 | None | Unset): the last evaluation's
        evaluated_at (datetime.datetime | None | Unset):
    """

    id: UUID
    metric: str
    condition: AlertOutCondition
    params: AlertOutParams
    filter_: AlertOutFilter
    notify: list[str]
    enabled: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    state: AlertOutStateType0 | None | Unset = UNSET
    evaluated_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        metric = self.metric

        condition = self.condition.value

        params = self.params.to_dict()

        filter_ = self.filter_.to_dict()

        notify = self.notify

        enabled = self.enabled

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, AlertOutStateType0):
            state = self.state.value
        else:
            state = self.state

        evaluated_at: None | str | Unset
        if isinstance(self.evaluated_at, Unset):
            evaluated_at = UNSET
        elif isinstance(self.evaluated_at, datetime.datetime):
            evaluated_at = self.evaluated_at.isoformat()
        else:
            evaluated_at = self.evaluated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "metric": metric,
                "condition": condition,
                "params": params,
                "filter": filter_,
                "notify": notify,
                "enabled": enabled,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if state is not UNSET:
            field_dict["state"] = state
        if evaluated_at is not UNSET:
            field_dict["evaluated_at"] = evaluated_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.alert_out_filter import AlertOutFilter
        from ..models.alert_out_params import AlertOutParams

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        metric = d.pop("metric")

        condition = AlertOutCondition(d.pop("condition"))

        params = AlertOutParams.from_dict(d.pop("params"))

        filter_ = AlertOutFilter.from_dict(d.pop("filter"))

        notify = cast(list[str], d.pop("notify"))

        enabled = d.pop("enabled")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_state(data: object) -> AlertOutStateType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = AlertOutStateType0(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlertOutStateType0 | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        def _parse_evaluated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                evaluated_at_type_0 = datetime.datetime.fromisoformat(data)

                return evaluated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        evaluated_at = _parse_evaluated_at(d.pop("evaluated_at", UNSET))

        alert_out = cls(
            id=id,
            metric=metric,
            condition=condition,
            params=params,
            filter_=filter_,
            notify=notify,
            enabled=enabled,
            created_at=created_at,
            updated_at=updated_at,
            name=name,
            description=description,
            state=state,
            evaluated_at=evaluated_at,
        )

        alert_out.additional_properties = d
        return alert_out

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
