from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.alert_patch_condition_type_0 import AlertPatchConditionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.alert_patch_filter_type_0 import AlertPatchFilterType0
    from ..models.alert_patch_params_type_0 import AlertPatchParamsType0


T = TypeVar("T", bound="AlertPatch")


@_attrs_define
class AlertPatch:
    """
    Attributes:
        name (None | str | Unset):
        description (None | str | Unset):
        metric (None | str | Unset):
        condition (AlertPatchConditionType0 | None | Unset):
        params (AlertPatchParamsType0 | None | Unset):
        filter_ (AlertPatchFilterType0 | None | Unset):
        notify (list[str] | None | Unset):
        enabled (bool | None | Unset):
    """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    metric: None | str | Unset = UNSET
    condition: AlertPatchConditionType0 | None | Unset = UNSET
    params: AlertPatchParamsType0 | None | Unset = UNSET
    filter_: AlertPatchFilterType0 | None | Unset = UNSET
    notify: list[str] | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.alert_patch_filter_type_0 import AlertPatchFilterType0
        from ..models.alert_patch_params_type_0 import AlertPatchParamsType0

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

        metric: None | str | Unset
        if isinstance(self.metric, Unset):
            metric = UNSET
        else:
            metric = self.metric

        condition: None | str | Unset
        if isinstance(self.condition, Unset):
            condition = UNSET
        elif isinstance(self.condition, AlertPatchConditionType0):
            condition = self.condition.value
        else:
            condition = self.condition

        params: dict[str, Any] | None | Unset
        if isinstance(self.params, Unset):
            params = UNSET
        elif isinstance(self.params, AlertPatchParamsType0):
            params = self.params.to_dict()
        else:
            params = self.params

        filter_: dict[str, Any] | None | Unset
        if isinstance(self.filter_, Unset):
            filter_ = UNSET
        elif isinstance(self.filter_, AlertPatchFilterType0):
            filter_ = self.filter_.to_dict()
        else:
            filter_ = self.filter_

        notify: list[str] | None | Unset
        if isinstance(self.notify, Unset):
            notify = UNSET
        elif isinstance(self.notify, list):
            notify = self.notify

        else:
            notify = self.notify

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if metric is not UNSET:
            field_dict["metric"] = metric
        if condition is not UNSET:
            field_dict["condition"] = condition
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
        from ..models.alert_patch_filter_type_0 import AlertPatchFilterType0
        from ..models.alert_patch_params_type_0 import AlertPatchParamsType0

        d = dict(src_dict)

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

        def _parse_metric(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        metric = _parse_metric(d.pop("metric", UNSET))

        def _parse_condition(data: object) -> AlertPatchConditionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                condition_type_0 = AlertPatchConditionType0(data)

                return condition_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlertPatchConditionType0 | None | Unset, data)

        condition = _parse_condition(d.pop("condition", UNSET))

        def _parse_params(data: object) -> AlertPatchParamsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                params_type_0 = AlertPatchParamsType0.from_dict(data)

                return params_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlertPatchParamsType0 | None | Unset, data)

        params = _parse_params(d.pop("params", UNSET))

        def _parse_filter_(data: object) -> AlertPatchFilterType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                filter_type_0 = AlertPatchFilterType0.from_dict(data)

                return filter_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AlertPatchFilterType0 | None | Unset, data)

        filter_ = _parse_filter_(d.pop("filter", UNSET))

        def _parse_notify(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                notify_type_0 = cast(list[str], data)

                return notify_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        notify = _parse_notify(d.pop("notify", UNSET))

        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))

        alert_patch = cls(
            name=name,
            description=description,
            metric=metric,
            condition=condition,
            params=params,
            filter_=filter_,
            notify=notify,
            enabled=enabled,
        )

        return alert_patch
