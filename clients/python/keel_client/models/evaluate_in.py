from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.evaluate_in_context import EvaluateInContext


T = TypeVar("T", bound="EvaluateIn")


@_attrs_define
class EvaluateIn:
    """
    Attributes:
        context (EvaluateInContext): what the inputs' expressions read (an object)
        version (int | None | Unset): a published version; the latest when left out
    """

    context: EvaluateInContext
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        context = self.context.to_dict()

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "context": context,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.evaluate_in_context import EvaluateInContext

        d = dict(src_dict)
        context = EvaluateInContext.from_dict(d.pop("context"))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        evaluate_in = cls(
            context=context,
            version=version,
        )

        return evaluate_in
