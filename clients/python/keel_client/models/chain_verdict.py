from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.broken_link import BrokenLink


T = TypeVar("T", bound="ChainVerdict")


@_attrs_define
class ChainVerdict:
    """The tenant's chain recomputed: ``first_broken`` names the first link that does not hold.

    Attributes:
        ok (bool):
        sealed (int):
        unsealed (int):
        first_broken (BrokenLink | None):
    """

    ok: bool
    sealed: int
    unsealed: int
    first_broken: BrokenLink | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.broken_link import BrokenLink

        ok = self.ok

        sealed = self.sealed

        unsealed = self.unsealed

        first_broken: dict[str, Any] | None
        if isinstance(self.first_broken, BrokenLink):
            first_broken = self.first_broken.to_dict()
        else:
            first_broken = self.first_broken

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "sealed": sealed,
                "unsealed": unsealed,
                "first_broken": first_broken,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.broken_link import BrokenLink

        d = dict(src_dict)
        ok = d.pop("ok")

        sealed = d.pop("sealed")

        unsealed = d.pop("unsealed")

        def _parse_first_broken(data: object) -> BrokenLink | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                first_broken_type_0 = BrokenLink.from_dict(data)

                return first_broken_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BrokenLink | None, data)

        first_broken = _parse_first_broken(d.pop("first_broken"))

        chain_verdict = cls(
            ok=ok,
            sealed=sealed,
            unsealed=unsealed,
            first_broken=first_broken,
        )

        chain_verdict.additional_properties = d
        return chain_verdict

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
