from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_in import AddressIn
    from ..models.catalog_entity_link import CatalogEntityLink
    from ..models.customer_in_metadata import CustomerInMetadata
    from ..models.tax_id_in import TaxIdIn


T = TypeVar("T", bound="CustomerIn")


@_attrs_define
class CustomerIn:
    """
    Attributes:
        name (str):
        email (str):
        currency (str):
        address (AddressIn):
        tax_ids (list[TaxIdIn] | Unset):
        locale (str | Unset):  Default: 'en'.
        payment_terms_days (int | Unset):  Default: 30.
        entity (CatalogEntityLink | None | Unset):
        metadata (CustomerInMetadata | Unset):
    """

    name: str
    email: str
    currency: str
    address: AddressIn
    tax_ids: list[TaxIdIn] | Unset = UNSET
    locale: str | Unset = "en"
    payment_terms_days: int | Unset = 30
    entity: CatalogEntityLink | None | Unset = UNSET
    metadata: CustomerInMetadata | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_entity_link import CatalogEntityLink

        name = self.name

        email = self.email

        currency = self.currency

        address = self.address.to_dict()

        tax_ids: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tax_ids, Unset):
            tax_ids = []
            for tax_ids_item_data in self.tax_ids:
                tax_ids_item = tax_ids_item_data.to_dict()
                tax_ids.append(tax_ids_item)

        locale = self.locale

        payment_terms_days = self.payment_terms_days

        entity: dict[str, Any] | None | Unset
        if isinstance(self.entity, Unset):
            entity = UNSET
        elif isinstance(self.entity, CatalogEntityLink):
            entity = self.entity.to_dict()
        else:
            entity = self.entity

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "email": email,
                "currency": currency,
                "address": address,
            }
        )
        if tax_ids is not UNSET:
            field_dict["tax_ids"] = tax_ids
        if locale is not UNSET:
            field_dict["locale"] = locale
        if payment_terms_days is not UNSET:
            field_dict["payment_terms_days"] = payment_terms_days
        if entity is not UNSET:
            field_dict["entity"] = entity
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.address_in import AddressIn
        from ..models.catalog_entity_link import CatalogEntityLink
        from ..models.customer_in_metadata import CustomerInMetadata
        from ..models.tax_id_in import TaxIdIn

        d = dict(src_dict)
        name = d.pop("name")

        email = d.pop("email")

        currency = d.pop("currency")

        address = AddressIn.from_dict(d.pop("address"))

        _tax_ids = d.pop("tax_ids", UNSET)
        tax_ids: list[TaxIdIn] | Unset = UNSET
        if _tax_ids is not UNSET:
            tax_ids = []
            for tax_ids_item_data in _tax_ids:
                tax_ids_item = TaxIdIn.from_dict(tax_ids_item_data)

                tax_ids.append(tax_ids_item)

        locale = d.pop("locale", UNSET)

        payment_terms_days = d.pop("payment_terms_days", UNSET)

        def _parse_entity(data: object) -> CatalogEntityLink | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                entity_type_0 = CatalogEntityLink.from_dict(data)

                return entity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogEntityLink | None | Unset, data)

        entity = _parse_entity(d.pop("entity", UNSET))

        _metadata = d.pop("metadata", UNSET)
        metadata: CustomerInMetadata | Unset
        if isinstance(_metadata, Unset):
            metadata = UNSET
        else:
            metadata = CustomerInMetadata.from_dict(_metadata)

        customer_in = cls(
            name=name,
            email=email,
            currency=currency,
            address=address,
            tax_ids=tax_ids,
            locale=locale,
            payment_terms_days=payment_terms_days,
            entity=entity,
            metadata=metadata,
        )

        return customer_in
