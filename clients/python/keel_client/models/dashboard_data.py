from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tile_data import TileData


T = TypeVar("T", bound="DashboardData")


@_attrs_define
class DashboardData:
    """
    Attributes:
        dashboard (UUID):
        computed_at (datetime.datetime):
        tiles (list[TileData]):
    """

    dashboard: UUID
    computed_at: datetime.datetime
    tiles: list[TileData]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dashboard = str(self.dashboard)

        computed_at = self.computed_at.isoformat()

        tiles = []
        for tiles_item_data in self.tiles:
            tiles_item = tiles_item_data.to_dict()
            tiles.append(tiles_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dashboard": dashboard,
                "computed_at": computed_at,
                "tiles": tiles,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tile_data import TileData

        d = dict(src_dict)
        dashboard = UUID(d.pop("dashboard"))

        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))

        tiles = []
        _tiles = d.pop("tiles")
        for tiles_item_data in _tiles:
            tiles_item = TileData.from_dict(tiles_item_data)

            tiles.append(tiles_item)

        dashboard_data = cls(
            dashboard=dashboard,
            computed_at=computed_at,
            tiles=tiles,
        )

        dashboard_data.additional_properties = d
        return dashboard_data

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
