from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.catalog_entity_link import CatalogEntityLink
    from ..models.customer_out_address import CustomerOutAddress
    from ..models.customer_out_metadata import CustomerOutMetadata
    from ..models.customer_out_tax_ids_item import CustomerOutTaxIdsItem


T = TypeVar("T", bound="CustomerOut")


@_attrs_define
class CustomerOut:
    """
    Attributes:
        id (UUID):
        name (str):
        email (str):
        currency (str):
        address (CustomerOutAddress):
        tax_ids (list[CustomerOutTaxIdsItem]):
        locale (str):
        payment_terms_days (int):
        entity (CatalogEntityLink | None):
        credit (str):
        metadata (CustomerOutMetadata):
        version (int):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    name: str
    email: str
    currency: str
    address: CustomerOutAddress
    tax_ids: list[CustomerOutTaxIdsItem]
    locale: str
    payment_terms_days: int
    entity: CatalogEntityLink | None
    credit: str
    metadata: CustomerOutMetadata
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.catalog_entity_link import CatalogEntityLink

        id = str(self.id)

        name = self.name

        email = self.email

        currency = self.currency

        address = self.address.to_dict()

        tax_ids = []
        for tax_ids_item_data in self.tax_ids:
            tax_ids_item = tax_ids_item_data.to_dict()
            tax_ids.append(tax_ids_item)

        locale = self.locale

        payment_terms_days = self.payment_terms_days

        entity: dict[str, Any] | None
        if isinstance(self.entity, CatalogEntityLink):
            entity = self.entity.to_dict()
        else:
            entity = self.entity

        credit = self.credit

        metadata = self.metadata.to_dict()

        version = self.version

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "email": email,
                "currency": currency,
                "address": address,
                "tax_ids": tax_ids,
                "locale": locale,
                "payment_terms_days": payment_terms_days,
                "entity": entity,
                "credit": credit,
                "metadata": metadata,
                "version": version,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.catalog_entity_link import CatalogEntityLink
        from ..models.customer_out_address import CustomerOutAddress
        from ..models.customer_out_metadata import CustomerOutMetadata
        from ..models.customer_out_tax_ids_item import CustomerOutTaxIdsItem

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        email = d.pop("email")

        currency = d.pop("currency")

        address = CustomerOutAddress.from_dict(d.pop("address"))

        tax_ids = []
        _tax_ids = d.pop("tax_ids")
        for tax_ids_item_data in _tax_ids:
            tax_ids_item = CustomerOutTaxIdsItem.from_dict(tax_ids_item_data)

            tax_ids.append(tax_ids_item)

        locale = d.pop("locale")

        payment_terms_days = d.pop("payment_terms_days")

        def _parse_entity(data: object) -> CatalogEntityLink | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                entity_type_0 = CatalogEntityLink.from_dict(data)

                return entity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CatalogEntityLink | None, data)

        entity = _parse_entity(d.pop("entity"))

        credit = d.pop("credit")

        metadata = CustomerOutMetadata.from_dict(d.pop("metadata"))

        version = d.pop("version")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        customer_out = cls(
            id=id,
            name=name,
            email=email,
            currency=currency,
            address=address,
            tax_ids=tax_ids,
            locale=locale,
            payment_terms_days=payment_terms_days,
            entity=entity,
            credit=credit,
            metadata=metadata,
            version=version,
            created_at=created_at,
            updated_at=updated_at,
        )

        customer_out.additional_properties = d
        return customer_out

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
