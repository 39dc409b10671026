from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_out_channels import TemplateOutChannels


T = TypeVar("T", bound="TemplateOut")


@_attrs_define
class TemplateOut:
    """
    Attributes:
        key (str):
        version (int): 0 for a built-in template
        builtin (bool):
        category (str):
        description (None | str):
        default_locale (str):
        channels (TemplateOutChannels):
        created_at (datetime.datetime | None):
        created_by (None | UUID):
        variables (list[str] | Unset): every data variable the template reads (derived from its source)
        required (list[str] | Unset): the variables read outside any guard ({% if %}, default): a send without one is a
            422
    """

    key: str
    version: int
    builtin: bool
    category: str
    description: None | str
    default_locale: str
    channels: TemplateOutChannels
    created_at: datetime.datetime | None
    created_by: None | UUID
    variables: list[str] | Unset = UNSET
    required: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        version = self.version

        builtin = self.builtin

        category = self.category

        description: None | str
        description = self.description

        default_locale = self.default_locale

        channels = self.channels.to_dict()

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        variables: list[str] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables

        required: list[str] | Unset = UNSET
        if not isinstance(self.required, Unset):
            required = self.required

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "version": version,
                "builtin": builtin,
                "category": category,
                "description": description,
                "default_locale": default_locale,
                "channels": channels,
                "created_at": created_at,
                "created_by": created_by,
            }
        )
        if variables is not UNSET:
            field_dict["variables"] = variables
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_out_channels import TemplateOutChannels

        d = dict(src_dict)
        key = d.pop("key")

        version = d.pop("version")

        builtin = d.pop("builtin")

        category = d.pop("category")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        default_locale = d.pop("default_locale")

        channels = TemplateOutChannels.from_dict(d.pop("channels"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        variables = cast(list[str], d.pop("variables", UNSET))

        required = cast(list[str], d.pop("required", UNSET))

        template_out = cls(
            key=key,
            version=version,
            builtin=builtin,
            category=category,
            description=description,
            default_locale=default_locale,
            channels=channels,
            created_at=created_at,
            created_by=created_by,
            variables=variables,
            required=required,
        )

        template_out.additional_properties = d
        return template_out

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
