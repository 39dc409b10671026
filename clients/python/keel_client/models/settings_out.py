from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.settings_out_seller_address import SettingsOutSellerAddress


T = TypeVar("T", bound="SettingsOut")


@_attrs_define
class SettingsOut:
    """
    Attributes:
        seller_name (None | str):
        seller_address (SettingsOutSellerAddress):
        seller_country (None | str):
        seller_tax_id (None | str):
        reporting_currency (str):
        invoice_template (None | str):
        updated_at (datetime.datetime | None):
    """

    seller_name: None | str
    seller_address: SettingsOutSellerAddress
    seller_country: None | str
    seller_tax_id: None | str
    reporting_currency: str
    invoice_template: None | str
    updated_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seller_name: None | str
        seller_name = self.seller_name

        seller_address = self.seller_address.to_dict()

        seller_country: None | str
        seller_country = self.seller_country

        seller_tax_id: None | str
        seller_tax_id = self.seller_tax_id

        reporting_currency = self.reporting_currency

        invoice_template: None | str
        invoice_template = self.invoice_template

        updated_at: None | str
        if isinstance(self.updated_at, datetime.datetime):
            updated_at = self.updated_at.isoformat()
        else:
            updated_at = self.updated_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seller_name": seller_name,
                "seller_address": seller_address,
                "seller_country": seller_country,
                "seller_tax_id": seller_tax_id,
                "reporting_currency": reporting_currency,
                "invoice_template": invoice_template,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.settings_out_seller_address import SettingsOutSellerAddress

        d = dict(src_dict)

        def _parse_seller_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seller_name = _parse_seller_name(d.pop("seller_name"))

        seller_address = SettingsOutSellerAddress.from_dict(d.pop("seller_address"))

        def _parse_seller_country(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seller_country = _parse_seller_country(d.pop("seller_country"))

        def _parse_seller_tax_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        seller_tax_id = _parse_seller_tax_id(d.pop("seller_tax_id"))

        reporting_currency = d.pop("reporting_currency")

        def _parse_invoice_template(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        invoice_template = _parse_invoice_template(d.pop("invoice_template"))

        def _parse_updated_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                updated_at_type_0 = datetime.datetime.fromisoformat(data)

                return updated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        updated_at = _parse_updated_at(d.pop("updated_at"))

        settings_out = cls(
            seller_name=seller_name,
            seller_address=seller_address,
            seller_country=seller_country,
            seller_tax_id=seller_tax_id,
            reporting_currency=reporting_currency,
            invoice_template=invoice_template,
            updated_at=updated_at,
        )

        settings_out.additional_properties = d
        return settings_out

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
