from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pair_side import PairSide


T = TypeVar("T", bound="DuplicatePair")


@_attrs_define
class DuplicatePair:
    """
    Attributes:
        a (PairSide):
        b (PairSide):
        score (float): pg_trgm similarity of the two records' dedup fields (0..1)
    """

    a: PairSide
    b: PairSide
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        a = self.a.to_dict()

        b = self.b.to_dict()

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "a": a,
                "b": b,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pair_side import PairSide

        d = dict(src_dict)
        a = PairSide.from_dict(d.pop("a"))

        b = PairSide.from_dict(d.pop("b"))

        score = d.pop("score")

        duplicate_pair = cls(
            a=a,
            b=b,
            score=score,
        )

        duplicate_pair.additional_properties = d
        return duplicate_pair

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
