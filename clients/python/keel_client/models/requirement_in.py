from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RequirementIn")


@_attrs_define
class RequirementIn:
    """``count`` resources carrying ``tag``, or the one resource named.

    Attributes:
        tag (None | str | Unset):
        resource (None | Unset | UUID):
        count (int | Unset):  Default: 1.
    """

    tag: None | str | Unset = UNSET
    resource: None | Unset | UUID = UNSET
    count: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        tag: None | str | Unset
        if isinstance(self.tag, Unset):
            tag = UNSET
        else:
            tag = self.tag

        resource: None | str | Unset
        if isinstance(self.resource, Unset):
            resource = UNSET
        elif isinstance(self.resource, UUID):
            resource = str(self.resource)
        else:
            resource = self.resource

        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if tag is not UNSET:
            field_dict["tag"] = tag
        if resource is not UNSET:
            field_dict["resource"] = resource
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_tag(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tag = _parse_tag(d.pop("tag", UNSET))

        def _parse_resource(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resource_type_0 = UUID(data)

                return resource_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        resource = _parse_resource(d.pop("resource", UNSET))

        count = d.pop("count", UNSET)

        requirement_in = cls(
            tag=tag,
            resource=resource,
            count=count,
        )

        return requirement_in
