from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.field_out import FieldOut
    from ..models.view_document import ViewDocument
    from ..models.view_page import ViewPage
    from ..models.view_request import ViewRequest
    from ..models.view_signer import ViewSigner


T = TypeVar("T", bound="SigningView")


@_attrs_define
class SigningView:
    """
    Attributes:
        request (ViewRequest):
        signer (ViewSigner):
        document (ViewDocument):
        fields (list[FieldOut]):
        pages (list[ViewPage]):
    """

    request: ViewRequest
    signer: ViewSigner
    document: ViewDocument
    fields: list[FieldOut]
    pages: list[ViewPage]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request = self.request.to_dict()

        signer = self.signer.to_dict()

        document = self.document.to_dict()

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        pages = []
        for pages_item_data in self.pages:
            pages_item = pages_item_data.to_dict()
            pages.append(pages_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request": request,
                "signer": signer,
                "document": document,
                "fields": fields,
                "pages": pages,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_out import FieldOut
        from ..models.view_document import ViewDocument
        from ..models.view_page import ViewPage
        from ..models.view_request import ViewRequest
        from ..models.view_signer import ViewSigner

        d = dict(src_dict)
        request = ViewRequest.from_dict(d.pop("request"))

        signer = ViewSigner.from_dict(d.pop("signer"))

        document = ViewDocument.from_dict(d.pop("document"))

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldOut.from_dict(fields_item_data)

            fields.append(fields_item)

        pages = []
        _pages = d.pop("pages")
        for pages_item_data in _pages:
            pages_item = ViewPage.from_dict(pages_item_data)

            pages.append(pages_item)

        signing_view = cls(
            request=request,
            signer=signer,
            document=document,
            fields=fields,
            pages=pages,
        )

        signing_view.additional_properties = d
        return signing_view

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
