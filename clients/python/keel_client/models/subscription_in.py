from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.subscription_in_collection import SubscriptionInCollection
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.item_in import ItemIn


T = TypeVar("T", bound="SubscriptionIn")


@_attrs_define
class SubscriptionIn:
    """
    Attributes:
        customer (UUID):
        items (list[ItemIn]):
        trial_days (int | Unset):  Default: 0.
        collection (SubscriptionInCollection | Unset):  Default: SubscriptionInCollection.SEND_INVOICE.
    """

    customer: UUID
    items: list[ItemIn]
    trial_days: int | Unset = 0
    collection: SubscriptionInCollection | Unset = SubscriptionInCollection.SEND_INVOICE

    def to_dict(self) -> dict[str, Any]:
        customer = str(self.customer)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        trial_days = self.trial_days

        collection: str | Unset = UNSET
        if not isinstance(self.collection, Unset):
            collection = self.collection.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer": customer,
                "items": items,
            }
        )
        if trial_days is not UNSET:
            field_dict["trial_days"] = trial_days
        if collection is not UNSET:
            field_dict["collection"] = collection

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.item_in import ItemIn

        d = dict(src_dict)
        customer = UUID(d.pop("customer"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemIn.from_dict(items_item_data)

            items.append(items_item)

        trial_days = d.pop("trial_days", UNSET)

        _collection = d.pop("collection", UNSET)
        collection: SubscriptionInCollection | Unset
        if isinstance(_collection, Unset):
            collection = UNSET
        else:
            collection = SubscriptionInCollection(_collection)

        subscription_in = cls(
            customer=customer,
            items=items,
            trial_days=trial_days,
            collection=collection,
        )

        return subscription_in
