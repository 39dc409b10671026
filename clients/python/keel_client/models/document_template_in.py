from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_template_in_sample_data_type_0 import (
        DocumentTemplateInSampleDataType0,
    )


T = TypeVar("T", bound="DocumentTemplateIn")


@_attrs_define
class DocumentTemplateIn:
    """A template's content: Jinja2 HTML, an optional stylesheet, sample data it must render with.

    Attributes:
        name (str):
        content (str):
        css (None | str | Unset):
        sample_data (DocumentTemplateInSampleDataType0 | None | Unset):
        locale (str | Unset):  Default: 'en'.
    """

    name: str
    content: str
    css: None | str | Unset = UNSET
    sample_data: DocumentTemplateInSampleDataType0 | None | Unset = UNSET
    locale: str | Unset = "en"

    def to_dict(self) -> dict[str, Any]:
        from ..models.document_template_in_sample_data_type_0 import (
            DocumentTemplateInSampleDataType0,
        )

        name = self.name

        content = self.content

        css: None | str | Unset
        if isinstance(self.css, Unset):
            css = UNSET
        else:
            css = self.css

        sample_data: dict[str, Any] | None | Unset
        if isinstance(self.sample_data, Unset):
            sample_data = UNSET
        elif isinstance(self.sample_data, DocumentTemplateInSampleDataType0):
            sample_data = self.sample_data.to_dict()
        else:
            sample_data = self.sample_data

        locale = self.locale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "content": content,
            }
        )
        if css is not UNSET:
            field_dict["css"] = css
        if sample_data is not UNSET:
            field_dict["sample_data"] = sample_data
        if locale is not UNSET:
            field_dict["locale"] = locale

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.document_template_in_sample_data_type_0 import (
            DocumentTemplateInSampleDataType0,
        )

        d = dict(src_dict)
        name = d.pop("name")

        content = d.pop("content")

        def _parse_css(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        css = _parse_css(d.pop("css", UNSET))

        def _parse_sample_data(
            data: object,
        ) -> DocumentTemplateInSampleDataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sample_data_type_0 = DocumentTemplateInSampleDataType0.from_dict(data)

                return sample_data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DocumentTemplateInSampleDataType0 | None | Unset, data)

        sample_data = _parse_sample_data(d.pop("sample_data", UNSET))

        locale = d.pop("locale", UNSET)

        document_template_in = cls(
            name=name,
            content=content,
            css=css,
            sample_data=sample_data,
            locale=locale,
        )

        return document_template_in
