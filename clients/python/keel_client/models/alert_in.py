from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alert_in_condition import AlertInCondition
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alert_in_filter import AlertInFilter
    from ..models.alert_in_params import AlertInParams


T = TypeVar("T", bound="AlertIn")


@_attrs_define
class AlertIn:
    """
    Attributes:
        metric (str):
        condition (AlertInCondition):
        name (None | str | Unset):
        description (None | str | Unset):
        params (AlertInParams | Unset): per condition; see the README
        filter_ (AlertInFilter | Unset):
        notify (list[str] | Unset): user ids or emails of the tenant's active users, or `role:<name>`
        enabled (bool | Unset):  Default: True.
    """

    metric: str
    condition: AlertInCondition
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    params: AlertInParams | Unset = UNSET
    filter_: AlertInFilter | Unset = UNSET
    notify: list[str] | Unset = UNSET
    enabled: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        metric = self.metric

        condition = self.condition.value

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

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        filter_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filter_, Unset):
            filter_ = self.filter_.to_dict()

        notify: list[str] | Unset = UNSET
        if not isinstance(self.notify, Unset):
            notify = self.notify

        enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "metric": metric,
                "condition": condition,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if params is not UNSET:
            field_dict["params"] = params
        if filter_ is not UNSET:
            field_dict["filter"] = filter_
        if notify is not UNSET:
            field_dict["notify"] = notify
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.alert_in_filter import AlertInFilter
        from ..models.alert_in_params import AlertInParams

        d = dict(src_dict)
        metric = d.pop("metric")

        condition = AlertInCondition(d.pop("condition"))

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

        _params = d.pop("params", UNSET)
        params: AlertInParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = AlertInParams.from_dict(_params)

        _filter_ = d.pop("filter", UNSET)
        filter_: AlertInFilter | Unset
        if isinstance(_filter_, Unset):
            filter_ = UNSET
        else:
            filter_ = AlertInFilter.from_dict(_filter_)

        notify = cast(list[str], d.pop("notify", UNSET))

        enabled = d.pop("enabled", UNSET)

        alert_in = cls(
            metric=metric,
            condition=condition,
            name=name,
            description=description,
            params=params,
            filter_=filter_,
            notify=notify,
            enabled=enabled,
        )

        return alert_in
