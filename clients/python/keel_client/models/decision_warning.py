from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decision_warning_witness_type_0 import DecisionWarningWitnessType0


T = TypeVar("T", bound="DecisionWarning")


@_attrs_define
class DecisionWarning:
    """
    Attributes:
        kind (str): gap, unreachable, overlap, or analysis_truncated (a check ran out of budget)
        message (str):
        rules (list[int]): 1-based rule numbers
        witness (DecisionWarningWitnessType0 | None | Unset): input values that show it
    """

    kind: str
    message: str
    rules: list[int]
    witness: DecisionWarningWitnessType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.decision_warning_witness_type_0 import DecisionWarningWitnessType0

        kind = self.kind

        message = self.message

        rules = self.rules

        witness: dict[str, Any] | None | Unset
        if isinstance(self.witness, Unset):
            witness = UNSET
        elif isinstance(self.witness, DecisionWarningWitnessType0):
            witness = self.witness.to_dict()
        else:
            witness = self.witness

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "message": message,
                "rules": rules,
            }
        )
        if witness is not UNSET:
            field_dict["witness"] = witness

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.decision_warning_witness_type_0 import DecisionWarningWitnessType0

        d = dict(src_dict)
        kind = d.pop("kind")

        message = d.pop("message")

        rules = cast(list[int], d.pop("rules"))

        def _parse_witness(data: object) -> DecisionWarningWitnessType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                witness_type_0 = DecisionWarningWitnessType0.from_dict(data)

                return witness_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DecisionWarningWitnessType0 | None | Unset, data)

        witness = _parse_witness(d.pop("witness", UNSET))

        decision_warning = cls(
            kind=kind,
            message=message,
            rules=rules,
            witness=witness,
        )

        decision_warning.additional_properties = d
        return decision_warning

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
