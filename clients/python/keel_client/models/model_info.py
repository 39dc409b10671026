from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.model_info_kind import ModelInfoKind

if TYPE_CHECKING:
    from ..models.model_info_quality import ModelInfoQuality


T = TypeVar("T", bound="ModelInfo")


@_attrs_define
class ModelInfo:
    """
    Attributes:
        kind (ModelInfoKind):
        trained_at (datetime.datetime):
        samples (int): rows the model was trained on
        quality (ModelInfoQuality): back-tested on the newest 20% of the history, the model fitted on the older 80%
    """

    kind: ModelInfoKind
    trained_at: datetime.datetime
    samples: int
    quality: ModelInfoQuality
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        trained_at = self.trained_at.isoformat()

        samples = self.samples

        quality = self.quality.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "trained_at": trained_at,
                "samples": samples,
                "quality": quality,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.model_info_quality import ModelInfoQuality

        d = dict(src_dict)
        kind = ModelInfoKind(d.pop("kind"))

        trained_at = datetime.datetime.fromisoformat(d.pop("trained_at"))

        samples = d.pop("samples")

        quality = ModelInfoQuality.from_dict(d.pop("quality"))

        model_info = cls(
            kind=kind,
            trained_at=trained_at,
            samples=samples,
            quality=quality,
        )

        model_info.additional_properties = d
        return model_info

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
