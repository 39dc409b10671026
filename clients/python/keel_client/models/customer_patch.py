from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.address_in import AddressIn
    from ..models.catalog_entity_link import CatalogEntityLink
    from ..models.customer_patch_metadata_type_0 import CustomerPatchMetadataType0
    from ..models.tax_id_in import TaxIdIn


T = TypeVar("T", bound="CustomerPatch")


@_attrs_define
class CustomerPatch:
    """Only the fields sent change; ``address``, ``tax_ids`` and ``metadata`` are replaced whole.

    Attributes:
        name (None | str | Unset):
        email (None | str | Unset):
        currency (None | str | Unset):
        address (AddressIn | None | Unset):
        tax_ids (list[TaxIdIn] | None | Unset):
        locale (None | str | Unset):
        payment_terms_days (int | None | Unset):
        entity (CatalogEntityLink | None | Unset):
        metadata (CustomerPatchMetadataType0 | None | Unset):
    """

    name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    currency: None | str | Unset = UNSET
    address: AddressIn | None | Unset = UNSET
    tax_ids: list[TaxIdIn] | None | Unset = UNSET
    locale: None | str | Unset = UNSET
    payment_terms_days: int | None | Unset = UNSET
    entity: CatalogEntityLink | None | Unset = UNSET
    metadata: CustomerPatchMetadataType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.address_in import AddressIn
        from ..models.catalog_entity_link import CatalogEntityLink
        from ..models.customer_patch_metadata_type_0 import CustomerPatchMetadataType0

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        address: dict[str, Any] | None | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        elif isinstance(self.address, AddressIn):
            address = self.address.to_dict()
        else:
            address = self.address

        tax_ids: list[dict[str, Any]] | None | Unset
        if isinstance(self.tax_ids, Unset):
            tax_ids = UNSET
        elif isinstance(self.tax_ids, list):
            tax_ids = []
            for tax_ids_type_0_item_data in self.tax_ids:
                tax_ids_type_0_item = tax_ids_type_0_item_data.to_dict()
                tax_ids.append(tax_ids_type_0_item)

        else:
            tax_ids = self.tax_ids

        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        else:
            locale = self.locale

        payment_terms_days: int | None | Unset
        if isinstance(self.payment_terms_days, Unset):
            payment_terms_days = UNSET
        else:
            payment_terms_days = self.payment_terms_days

        entity: dict[str, Any] | None | Unset
        if isinstance(self.entity, Unset):
            entity = UNSET
        elif isinstance(self.entity, CatalogEntityLink):
            entity = self.entity.to_dict()
        else:
            entity = self.entity

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, CustomerPatchMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if currency is not UNSET:
            field_dict["currency"] = currency
        if address is not UNSET:
            field_dict["address"] = address
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
        from ..models.customer_patch_metadata_type_0 import CustomerPatchMetadataType0
        from ..models.tax_id_in import TaxIdIn

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        def _parse_address(data: object) -> AddressIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                address_type_0 = AddressIn.from_dict(data)

                return address_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AddressIn | None | Unset, data)

        address = _parse_address(d.pop("address", UNSET))

        def _parse_tax_ids(data: object) -> list[TaxIdIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tax_ids_type_0 = []
                _tax_ids_type_0 = data
                for tax_ids_type_0_item_data in _tax_ids_type_0:
                    tax_ids_type_0_item = TaxIdIn.from_dict(tax_ids_type_0_item_data)

                    tax_ids_type_0.append(tax_ids_type_0_item)

                return tax_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TaxIdIn] | None | Unset, data)

        tax_ids = _parse_tax_ids(d.pop("tax_ids", UNSET))

        def _parse_locale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))

        def _parse_payment_terms_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        payment_terms_days = _parse_payment_terms_days(
            d.pop("payment_terms_days", UNSET)
        )

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

        def _parse_metadata(data: object) -> CustomerPatchMetadataType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = CustomerPatchMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CustomerPatchMetadataType0 | None | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        customer_patch = cls(
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

        return customer_patch
