from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_in import AddressIn


T = TypeVar("T", bound="SettingsIn")


@_attrs_define
class SettingsIn:
    """
    Attributes:
        seller_name (str):
        seller_address (AddressIn):
        seller_country (str):
        reporting_currency (str):
        seller_tax_id (None | str | Unset):
        invoice_template (None | str | Unset):
    """

    seller_name: str
    seller_address: AddressIn
    seller_country: str
    reporting_currency: str
    seller_tax_id: None | str | Unset = UNSET
    invoice_template: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        seller_name = self.seller_name

        seller_address = self.seller_address.to_dict()

        seller_country = self.seller_country

        reporting_currency = self.reporting_currency

        seller_tax_id: None | str | Unset
        if isinstance(self.seller_tax_id, Unset):
            seller_tax_id = UNSET
        else:
            seller_tax_id = self.seller_tax_id

        invoice_template: None | str | Unset
        if isinstance(self.invoice_template, Unset):
            invoice_template = UNSET
        else:
            invoice_template = self.invoice_template

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seller_name": seller_name,
                "seller_address": seller_address,
                "seller_country": seller_country,
                "reporting_currency": reporting_currency,
            }
        )
        if seller_tax_id is not UNSET:
            field_dict["seller_tax_id"] = seller_tax_id
        if invoice_template is not UNSET:
            field_dict["invoice_template"] = invoice_template

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.address_in import AddressIn

        d = dict(src_dict)
        seller_name = d.pop("seller_name")

        seller_address = AddressIn.from_dict(d.pop("seller_address"))

        seller_country = d.pop("seller_country")

        reporting_currency = d.pop("reporting_currency")

        def _parse_seller_tax_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        seller_tax_id = _parse_seller_tax_id(d.pop("seller_tax_id", UNSET))

        def _parse_invoice_template(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        invoice_template = _parse_invoice_template(d.pop("invoice_template", UNSET))

        settings_in = cls(
            seller_name=seller_name,
            seller_address=seller_address,
            seller_country=seller_country,
            reporting_currency=reporting_currency,
            seller_tax_id=seller_tax_id,
            invoice_template=invoice_template,
        )

        return settings_in
