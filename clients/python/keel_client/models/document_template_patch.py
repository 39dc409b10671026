from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_template_patch_sample_data_type_0 import (
        DocumentTemplatePatchSampleDataType0,
    )


T = TypeVar("T", bound="DocumentTemplatePatch")


@_attrs_define
class DocumentTemplatePatch:
    """The fields to change; the others keep the current version's values.

    Attributes:
        name (None | str | Unset):
        content (None | str | Unset):
        css (None | str | Unset):
        sample_data (DocumentTemplatePatchSampleDataType0 | None | Unset):
        locale (None | str | Unset):
    """

    name: None | str | Unset = UNSET
    content: None | str | Unset = UNSET
    css: None | str | Unset = UNSET
    sample_data: DocumentTemplatePatchSampleDataType0 | None | Unset = UNSET
    locale: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_template_patch_sample_data_type_0 import (
            DocumentTemplatePatchSampleDataType0,
        )

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        content: None | str | Unset
        if isinstance(self.content, Unset):
            content = UNSET
        else:
            content = self.content

        css: None | str | Unset
        if isinstance(self.css, Unset):
            css = UNSET
        else:
            css = self.css

        sample_data: dict[str, Any] | None | Unset
        if isinstance(self.sample_data, Unset):
            sample_data = UNSET
        elif isinstance(self.sample_data, DocumentTemplatePatchSampleDataType0):
            sample_data = self.sample_data.to_dict()
        else:
            sample_data = self.sample_data

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if content is not UNSET:
            field_dict["content"] = content
        if css is not UNSET:
            field_dict["css"] = css
        if sample_data is not UNSET:
            field_dict["sample_data"] = sample_data
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_template_patch_sample_data_type_0 import (
            DocumentTemplatePatchSampleDataType0,
        )

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_content(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        content = _parse_content(d.pop("content", UNSET))

        def _parse_css(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        css = _parse_css(d.pop("css", UNSET))

        def _parse_sample_data(
            data: object,
        ) -> DocumentTemplatePatchSampleDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sample_data_type_0 = DocumentTemplatePatchSampleDataType0.from_dict(
                    data
                )

                return sample_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentTemplatePatchSampleDataType0 | None | Unset, data)

        sample_data = _parse_sample_data(d.pop("sample_data", UNSET))

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        document_template_patch = cls(
            name=name,
            content=content,
            css=css,
            sample_data=sample_data,
            locale=locale,
        )

        return document_template_patch
