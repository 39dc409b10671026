from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.process_start_input import ProcessStartInput


T = TypeVar("T", bound="ProcessStart")


@_attrs_define
class ProcessStart:
    """
    Attributes:
        definition (str):
        version (int | None | Unset): the definition version; the latest if omitted
        business_key (None | str | Unset):
        input_ (ProcessStartInput | Unset):
    """

    definition: str
    version: int | None | Unset = UNSET
    business_key: None | str | Unset = UNSET
    input_: ProcessStartInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        definition = self.definition

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        business_key: None | str | Unset
        if isinstance(self.business_key, Unset):
            business_key = UNSET
        else:
            business_key = self.business_key

        input_: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_, Unset):
            input_ = self.input_.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "definition": definition,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if business_key is not UNSET:
            field_dict["business_key"] = business_key
        if input_ is not UNSET:
            field_dict["input"] = input_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.process_start_input import ProcessStartInput

        d = dict(src_dict)
        definition = d.pop("definition")

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_business_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        business_key = _parse_business_key(d.pop("business_key", UNSET))

        _input_ = d.pop("input", UNSET)
        input_: ProcessStartInput | Unset
        if isinstance(_input_, Unset):
            input_ = UNSET
        else:
            input_ = ProcessStartInput.from_dict(_input_)

        process_start = cls(
            definition=definition,
            version=version,
            business_key=business_key,
            input_=input_,
        )

        return process_start
