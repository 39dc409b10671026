from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.subscription_out_collection import SubscriptionOutCollection
from ..models.subscription_out_status import SubscriptionOutStatus

if TYPE_CHECKING:
    from ..models.invoice_ref_out import InvoiceRefOut
    from ..models.item_out import ItemOut


T = TypeVar("T", bound="SubscriptionOut")


@_attrs_define
class SubscriptionOut:
    """
    Attributes:
        id (UUID):
        customer (UUID):
        status (SubscriptionOutStatus):
        collection (SubscriptionOutCollection):
        currency (str):
        interval (str):
        interval_count (int):
        items (list[ItemOut]):
        started_at (datetime.datetime):
        trial_end (datetime.datetime | None):
        current_period_start (datetime.datetime):
        current_period_end (datetime.datetime):
        cancel_at_period_end (bool):
        canceled_at (datetime.datetime | None):
        paused_at (datetime.datetime | None):
        latest_invoices (list[InvoiceRefOut]): the newest first, at most 10
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    customer: UUID
    status: SubscriptionOutStatus
    collection: SubscriptionOutCollection
    currency: str
    interval: str
    interval_count: int
    items: list[ItemOut]
    started_at: datetime.datetime
    trial_end: datetime.datetime | None
    current_period_start: datetime.datetime
    current_period_end: datetime.datetime
    cancel_at_period_end: bool
    canceled_at: datetime.datetime | None
    paused_at: datetime.datetime | None
    latest_invoices: list[InvoiceRefOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        customer = str(self.customer)

        status = self.status.value

        collection = self.collection.value

        currency = self.currency

        interval = self.interval

        interval_count = self.interval_count

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        started_at = self.started_at.isoformat()

        trial_end: None | str
        if isinstance(self.trial_end, datetime.datetime):
            trial_end = self.trial_end.isoformat()
        else:
            trial_end = self.trial_end

        current_period_start = self.current_period_start.isoformat()

        current_period_end = self.current_period_end.isoformat()

        cancel_at_period_end = self.cancel_at_period_end

        canceled_at: None | str
        if isinstance(self.canceled_at, datetime.datetime):
            canceled_at = self.canceled_at.isoformat()
        else:
            canceled_at = self.canceled_at

        paused_at: None | str
        if isinstance(self.paused_at, datetime.datetime):
            paused_at = self.paused_at.isoformat()
        else:
            paused_at = self.paused_at

        latest_invoices = []
        for latest_invoices_item_data in self.latest_invoices:
            latest_invoices_item = latest_invoices_item_data.to_dict()
            latest_invoices.append(latest_invoices_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer": customer,
                "status": status,
                "collection": collection,
                "currency": currency,
                "interval": interval,
                "interval_count": interval_count,
                "items": items,
                "started_at": started_at,
                "trial_end": trial_end,
                "current_period_start": current_period_start,
                "current_period_end": current_period_end,
                "cancel_at_period_end": cancel_at_period_end,
                "canceled_at": canceled_at,
                "paused_at": paused_at,
                "latest_invoices": latest_invoices,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.invoice_ref_out import InvoiceRefOut
        from ..models.item_out import ItemOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        customer = UUID(d.pop("customer"))

        status = SubscriptionOutStatus(d.pop("status"))

        collection = SubscriptionOutCollection(d.pop("collection"))

        currency = d.pop("currency")

        interval = d.pop("interval")

        interval_count = d.pop("interval_count")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ItemOut.from_dict(items_item_data)

            items.append(items_item)

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        def _parse_trial_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                trial_end_type_0 = datetime.datetime.fromisoformat(data)

                return trial_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        trial_end = _parse_trial_end(d.pop("trial_end"))

        current_period_start = datetime.datetime.fromisoformat(
            d.pop("current_period_start")
        )

        current_period_end = datetime.datetime.fromisoformat(
            d.pop("current_period_end")
        )

        cancel_at_period_end = d.pop("cancel_at_period_end")

        def _parse_canceled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                canceled_at_type_0 = datetime.datetime.fromisoformat(data)

                return canceled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        canceled_at = _parse_canceled_at(d.pop("canceled_at"))

        def _parse_paused_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paused_at_type_0 = datetime.datetime.fromisoformat(data)

                return paused_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        paused_at = _parse_paused_at(d.pop("paused_at"))

        latest_invoices = []
        _latest_invoices = d.pop("latest_invoices")
        for latest_invoices_item_data in _latest_invoices:
            latest_invoices_item = InvoiceRefOut.from_dict(latest_invoices_item_data)

            latest_invoices.append(latest_invoices_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        subscription_out = cls(
            id=id,
            customer=customer,
            status=status,
            collection=collection,
            currency=currency,
            interval=interval,
            interval_count=interval_count,
            items=items,
            started_at=started_at,
            trial_end=trial_end,
            current_period_start=current_period_start,
            current_period_end=current_period_end,
            cancel_at_period_end=cancel_at_period_end,
            canceled_at=canceled_at,
            paused_at=paused_at,
            latest_invoices=latest_invoices,
            created_at=created_at,
            updated_at=updated_at,
        )

        subscription_out.additional_properties = d
        return subscription_out

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
