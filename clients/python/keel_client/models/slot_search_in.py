from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.requirement_in import RequirementIn
    from ..models.slot_preferences_in import SlotPreferencesIn
    from ..models.window_in import WindowIn


T = TypeVar("T", bound="SlotSearchIn")


@_attrs_define
class SlotSearchIn:
    """
    Attributes:
        requirements (list[RequirementIn]):
        duration (str): ISO 8601, e.g. PT2H; a whole number of granularity steps
        window (WindowIn):
        granularity (str | Unset): ISO 8601, at least PT5M Default: 'PT15M'.
        preferences (None | SlotPreferencesIn | Unset):
        limit (int | Unset):  Default: 10.
    """

    requirements: list[RequirementIn]
    duration: str
    window: WindowIn
    granularity: str | Unset = "PT15M"
    preferences: None | SlotPreferencesIn | Unset = UNSET
    limit: int | Unset = 10

    def to_dict(self) -> dict[str, Any]:
        from ..models.slot_preferences_in import SlotPreferencesIn

        requirements = []
        for requirements_item_data in self.requirements:
            requirements_item = requirements_item_data.to_dict()
            requirements.append(requirements_item)

        duration = self.duration

        window = self.window.to_dict()

        granularity = self.granularity

        preferences: dict[str, Any] | None | Unset
        if isinstance(self.preferences, Unset):
            preferences = UNSET
        elif isinstance(self.preferences, SlotPreferencesIn):
            preferences = self.preferences.to_dict()
        else:
            preferences = self.preferences

        limit = self.limit

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "requirements": requirements,
                "duration": duration,
                "window": window,
            }
        )
        if granularity is not UNSET:
            field_dict["granularity"] = granularity
        if preferences is not UNSET:
            field_dict["preferences"] = preferences
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.requirement_in import RequirementIn
        from ..models.slot_preferences_in import SlotPreferencesIn
        from ..models.window_in import WindowIn

        d = dict(src_dict)
        requirements = []
        _requirements = d.pop("requirements")
        for requirements_item_data in _requirements:
            requirements_item = RequirementIn.from_dict(requirements_item_data)

            requirements.append(requirements_item)

        duration = d.pop("duration")

        window = WindowIn.from_dict(d.pop("window"))

        granularity = d.pop("granularity", UNSET)

        def _parse_preferences(data: object) -> None | SlotPreferencesIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                preferences_type_0 = SlotPreferencesIn.from_dict(data)

                return preferences_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SlotPreferencesIn | Unset, data)

        preferences = _parse_preferences(d.pop("preferences", UNSET))

        limit = d.pop("limit", UNSET)

        slot_search_in = cls(
            requirements=requirements,
            duration=duration,
            window=window,
            granularity=granularity,
            preferences=preferences,
            limit=limit,
        )

        return slot_search_in
