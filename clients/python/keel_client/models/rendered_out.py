from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rendered_out_fields import RenderedOutFields


T = TypeVar("T", bound="RenderedOut")


@_attrs_define
class RenderedOut:
    """
    Attributes:
        key (str):
        version (int):
        channel (str):
        locale (str): the locale actually used after fallback
        fields (RenderedOutFields):
    """

    key: str
    version: int
    channel: str
    locale: str
    fields: RenderedOutFields
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        version = self.version

        channel = self.channel

        locale = self.locale

        fields = self.fields.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "version": version,
                "channel": channel,
                "locale": locale,
                "fields": fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.rendered_out_fields import RenderedOutFields

        d = dict(src_dict)
        key = d.pop("key")

        version = d.pop("version")

        channel = d.pop("channel")

        locale = d.pop("locale")

        fields = RenderedOutFields.from_dict(d.pop("fields"))

        rendered_out = cls(
            key=key,
            version=version,
            channel=channel,
            locale=locale,
            fields=fields,
        )

        rendered_out.additional_properties = d
        return rendered_out

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
