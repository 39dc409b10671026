from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.template_create_channels import TemplateCreateChannels
    from ..models.template_create_sample_data_type_0 import (
        TemplateCreateSampleDataType0,
    )


T = TypeVar("T", bound="TemplateCreate")


@_attrs_define
class TemplateCreate:
    """
    Attributes:
        channels (TemplateCreateChannels): channel -> locale -> field -> Jinja source, e.g. email -> en -> subject
        key (str):
        category (str | Unset):  Default: 'general'.
        description (None | str | Unset):
        default_locale (str | Unset):  Default: 'en'.
        sample_data (None | TemplateCreateSampleDataType0 | Unset): data to test-render every field with at save time
    """

    channels: TemplateCreateChannels
    key: str
    category: str | Unset = "general"
    description: None | str | Unset = UNSET
    default_locale: str | Unset = "en"
    sample_data: None | TemplateCreateSampleDataType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.template_create_sample_data_type_0 import (
            TemplateCreateSampleDataType0,
        )

        channels = self.channels.to_dict()

        key = self.key

        category = self.category

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        default_locale = self.default_locale

        sample_data: dict[str, Any] | None | Unset
        if isinstance(self.sample_data, Unset):
            sample_data = UNSET
        elif isinstance(self.sample_data, TemplateCreateSampleDataType0):
            sample_data = self.sample_data.to_dict()
        else:
            sample_data = self.sample_data

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channels": channels,
                "key": key,
            }
        )
        if category is not UNSET:
            field_dict["category"] = category
        if description is not UNSET:
            field_dict["description"] = description
        if default_locale is not UNSET:
            field_dict["default_locale"] = default_locale
        if sample_data is not UNSET:
            field_dict["sample_data"] = sample_data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.template_create_channels import TemplateCreateChannels
        from ..models.template_create_sample_data_type_0 import (
            TemplateCreateSampleDataType0,
        )

        d = dict(src_dict)
        channels = TemplateCreateChannels.from_dict(d.pop("channels"))

        key = d.pop("key")

        category = d.pop("category", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        default_locale = d.pop("default_locale", UNSET)

        def _parse_sample_data(
            data: object,
        ) -> None | TemplateCreateSampleDataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sample_data_type_0 = TemplateCreateSampleDataType0.from_dict(data)

                return sample_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateCreateSampleDataType0 | Unset, data)

        sample_data = _parse_sample_data(d.pop("sample_data", UNSET))

        template_create = cls(
            channels=channels,
            key=key,
            category=category,
            description=description,
            default_locale=default_locale,
            sample_data=sample_data,
        )

        return template_create
