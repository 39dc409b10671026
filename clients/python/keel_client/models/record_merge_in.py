from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.record_merge_in_strategy import RecordMergeInStrategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecordMergeIn")


@_attrs_define
class RecordMergeIn:
    """
    Attributes:
        from_ (list[UUID]):
        strategy (RecordMergeInStrategy | Unset):  Default: RecordMergeInStrategy.KEEP_TARGET.
    """

    from_: list[UUID]
    strategy: RecordMergeInStrategy | Unset = RecordMergeInStrategy.KEEP_TARGET

    def to_dict(self) -> dict[str, Any]:
        from_ = []
        for from_item_data in self.from_:
            from_item = str(from_item_data)
            from_.append(from_item)

        strategy: str | Unset = UNSET
        if not isinstance(self.strategy, Unset):
            strategy = self.strategy.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
            }
        )
        if strategy is not UNSET:
            field_dict["strategy"] = strategy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_ = []
        _from_ = d.pop("from")
        for from_item_data in _from_:
            from_item = UUID(from_item_data)

            from_.append(from_item)

        _strategy = d.pop("strategy", UNSET)
        strategy: RecordMergeInStrategy | Unset
        if isinstance(_strategy, Unset):
            strategy = UNSET
        else:
            strategy = RecordMergeInStrategy(_strategy)

        record_merge_in = cls(
            from_=from_,
            strategy=strategy,
        )

        return record_merge_in
