from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FederatedIn")


@_attrs_define
class FederatedIn:
    """
    Attributes:
        q (str):
        types (list[str] | None | Unset): all searchable types if absent
        per_page (int | Unset): capped at 100 Default: 10.
    """

    q: str
    types: list[str] | None | Unset = UNSET
    per_page: int | Unset = 10

    def to_dict(self) -> dict[str, Any]:
        q = self.q

        types: list[str] | None | Unset
        if isinstance(self.types, Unset):
            types = UNSET
        elif isinstance(self.types, list):
            types = self.types

        else:
            types = self.types

        per_page = self.per_page

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "q": q,
            }
        )
        if types is not UNSET:
            field_dict["types"] = types
        if per_page is not UNSET:
            field_dict["per_page"] = per_page

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        q = d.pop("q")

        def _parse_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                types_type_0 = cast(list[str], data)

                return types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        types = _parse_types(d.pop("types", UNSET))

        per_page = d.pop("per_page", UNSET)

        federated_in = cls(
            q=q,
            types=types,
            per_page=per_page,
        )

        return federated_in
