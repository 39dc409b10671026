from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.tile_params_grain_type_0 import TileParamsGrainType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tile_params_filter import TileParamsFilter


T = TypeVar("T", bound="TileParams")


@_attrs_define
class TileParams:
    """A tile's query: a fixed window (``from``/``to``) or one ending now (``range``), and what series
    and value take besides.

        Attributes:
            from_ (datetime.datetime | None | Unset): RFC 3339 with an offset
            to (datetime.datetime | None | Unset): RFC 3339 with an offset
            range_ (None | str | Unset): an ISO 8601 duration ending now (P7D); default P7D
            grain (None | TileParamsGrainType0 | Unset):
            group_by (None | str | Unset): dimensions, comma-separated
            timezone (None | str | Unset):
            filter_ (TileParamsFilter | Unset):
    """

    from_: datetime.datetime | None | Unset = UNSET
    to: datetime.datetime | None | Unset = UNSET
    range_: None | str | Unset = UNSET
    grain: None | TileParamsGrainType0 | Unset = UNSET
    group_by: None | str | Unset = UNSET
    timezone: None | str | Unset = UNSET
    filter_: TileParamsFilter | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        to: None | str | Unset
        if isinstance(self.to, Unset):
            to = UNSET
        elif isinstance(self.to, datetime.datetime):
            to = self.to.isoformat()
        else:
            to = self.to

        range_: None | str | Unset
        if isinstance(self.range_, Unset):
            range_ = UNSET
        else:
            range_ = self.range_

        grain: None | str | Unset
        if isinstance(self.grain, Unset):
            grain = UNSET
        elif isinstance(self.grain, TileParamsGrainType0):
            grain = self.grain.value
        else:
            grain = self.grain

        group_by: None | str | Unset
        if isinstance(self.group_by, Unset):
            group_by = UNSET
        else:
            group_by = self.group_by

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        filter_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filter_, Unset):
            filter_ = self.filter_.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if range_ is not UNSET:
            field_dict["range"] = range_
        if grain is not UNSET:
            field_dict["grain"] = grain
        if group_by is not UNSET:
            field_dict["group_by"] = group_by
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if filter_ is not UNSET:
            field_dict["filter"] = filter_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tile_params_filter import TileParamsFilter

        d = dict(src_dict)

        def _parse_from_(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)

                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_to(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                to_type_0 = datetime.datetime.fromisoformat(data)

                return to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        to = _parse_to(d.pop("to", UNSET))

        def _parse_range_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        range_ = _parse_range_(d.pop("range", UNSET))

        def _parse_grain(data: object) -> None | TileParamsGrainType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grain_type_0 = TileParamsGrainType0(data)

                return grain_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TileParamsGrainType0 | Unset, data)

        grain = _parse_grain(d.pop("grain", UNSET))

        def _parse_group_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_by = _parse_group_by(d.pop("group_by", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        _filter_ = d.pop("filter", UNSET)
        filter_: TileParamsFilter | Unset
        if isinstance(_filter_, Unset):
            filter_ = UNSET
        else:
            filter_ = TileParamsFilter.from_dict(_filter_)

        tile_params = cls(
            from_=from_,
            to=to,
            range_=range_,
            grain=grain,
            group_by=group_by,
            timezone=timezone,
            filter_=filter_,
        )

        return tile_params
