from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info import ModelInfo
    from ..models.remaining import Remaining


T = TypeVar("T", bound="CompletionPrediction")


@_attrs_define
class CompletionPrediction:
    """
    Attributes:
        process_id (UUID):
        definition (str):
        ended (bool): true: the process has ended and its actual end is answered
        started_at (datetime.datetime):
        elapsed_seconds (float):
        expected_completion_at (datetime.datetime):
        completion_interval (list[datetime.datetime]): 10th and 90th percentile
        remaining_seconds (Remaining): Seconds still to go: the median expected, and the 10th to 90th percentile.
        breach_probability (float | None): the probability that a due date of the process is missed (1 once one was)
        model (ModelInfo | None): null for a process that has ended
        breach_note (None | str | Unset): why breach_probability is null
    """

    process_id: UUID
    definition: str
    ended: bool
    started_at: datetime.datetime
    elapsed_seconds: float
    expected_completion_at: datetime.datetime
    completion_interval: list[datetime.datetime]
    remaining_seconds: Remaining
    breach_probability: float | None
    model: ModelInfo | None
    breach_note: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info import ModelInfo

        process_id = str(self.process_id)

        definition = self.definition

        ended = self.ended

        started_at = self.started_at.isoformat()

        elapsed_seconds = self.elapsed_seconds

        expected_completion_at = self.expected_completion_at.isoformat()

        completion_interval = []
        for completion_interval_item_data in self.completion_interval:
            completion_interval_item: str
            if isinstance(completion_interval_item_data, datetime.datetime):
                completion_interval_item = completion_interval_item_data.isoformat()

            completion_interval.append(completion_interval_item)

        remaining_seconds = self.remaining_seconds.to_dict()

        breach_probability: float | None
        breach_probability = self.breach_probability

        model: dict[str, Any] | None
        if isinstance(self.model, ModelInfo):
            model = self.model.to_dict()
        else:
            model = self.model

        breach_note: None | str | Unset
        if isinstance(self.breach_note, Unset):
            breach_note = UNSET
        else:
            breach_note = self.breach_note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "process_id": process_id,
                "definition": definition,
                "ended": ended,
                "started_at": started_at,
                "elapsed_seconds": elapsed_seconds,
                "expected_completion_at": expected_completion_at,
                "completion_interval": completion_interval,
                "remaining_seconds": remaining_seconds,
                "breach_probability": breach_probability,
                "model": model,
            }
        )
        if breach_note is not UNSET:
            field_dict["breach_note"] = breach_note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_info import ModelInfo
        from ..models.remaining import Remaining

        d = dict(src_dict)
        process_id = UUID(d.pop("process_id"))

        definition = d.pop("definition")

        ended = d.pop("ended")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        elapsed_seconds = d.pop("elapsed_seconds")

        expected_completion_at = datetime.datetime.fromisoformat(
            d.pop("expected_completion_at")
        )

        completion_interval = []
        _completion_interval = d.pop("completion_interval")
        for completion_interval_item_data in _completion_interval:

            def _parse_completion_interval_item(data: object) -> datetime.datetime:
                if not isinstance(data, str):
                    raise TypeError()
                completion_interval_item_type_0 = datetime.datetime.fromisoformat(data)

                return completion_interval_item_type_0

            completion_interval_item = _parse_completion_interval_item(
                completion_interval_item_data
            )

            completion_interval.append(completion_interval_item)

        remaining_seconds = Remaining.from_dict(d.pop("remaining_seconds"))

        def _parse_breach_probability(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        breach_probability = _parse_breach_probability(d.pop("breach_probability"))

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

        def _parse_breach_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        breach_note = _parse_breach_note(d.pop("breach_note", UNSET))

        completion_prediction = cls(
            process_id=process_id,
            definition=definition,
            ended=ended,
            started_at=started_at,
            elapsed_seconds=elapsed_seconds,
            expected_completion_at=expected_completion_at,
            completion_interval=completion_interval,
            remaining_seconds=remaining_seconds,
            breach_probability=breach_probability,
            model=model,
            breach_note=breach_note,
        )

        completion_prediction.additional_properties = d
        return completion_prediction

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
