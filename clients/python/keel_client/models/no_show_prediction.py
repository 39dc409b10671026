from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info import ModelInfo


T = TypeVar("T", bound="NoShowPrediction")


@_attrs_define
class NoShowPrediction:
    """
    Attributes:
        booking_id (UUID):
        probability (float):
        base_rate (float): the share of no-shows among the tenant's bookings that ended
        model (ModelInfo | None):
        outcome (None | str | Unset): completed or no_show once known; then exact
    """

    booking_id: UUID
    probability: float
    base_rate: float
    model: ModelInfo | None
    outcome: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info import ModelInfo

        booking_id = str(self.booking_id)

        probability = self.probability

        base_rate = self.base_rate

        model: dict[str, Any] | None
        if isinstance(self.model, ModelInfo):
            model = self.model.to_dict()
        else:
            model = self.model

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        else:
            outcome = self.outcome

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "booking_id": booking_id,
                "probability": probability,
                "base_rate": base_rate,
                "model": model,
            }
        )
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_info import ModelInfo

        d = dict(src_dict)
        booking_id = UUID(d.pop("booking_id"))

        probability = d.pop("probability")

        base_rate = d.pop("base_rate")

        def _parse_model(data: object) -> ModelInfo | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                model_type_0 = ModelInfo.from_dict(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelInfo | None, data)

        model = _parse_model(d.pop("model"))

        def _parse_outcome(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        no_show_prediction = cls(
            booking_id=booking_id,
            probability=probability,
            base_rate=base_rate,
            model=model,
            outcome=outcome,
        )

        no_show_prediction.additional_properties = d
        return no_show_prediction

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
