from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.booking_out_status import BookingOutStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.allocation_out import AllocationOut
    from ..models.booking_out_details import BookingOutDetails
    from ..models.booking_payment_out import BookingPaymentOut


T = TypeVar("T", bound="BookingOut")


@_attrs_define
class BookingOut:
    """
    Attributes:
        id (UUID):
        subject (None | str):
        status (BookingOutStatus):
        start (datetime.datetime):
        end (datetime.datetime):
        hold_expires_at (datetime.datetime | None):
        requires_confirmation (bool):
        entity_id (None | UUID):
        series_id (None | UUID):
        workflow_id (None | str):
        confirmed_at (datetime.datetime | None):
        cancelled_at (datetime.datetime | None):
        cancel_reason (None | str):
        late_cancellation (bool):
        details (BookingOutDetails):
        created_by (None | UUID):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        allocations (list[AllocationOut]):
        payment (BookingPaymentOut | None | Unset): for a resource that requires payment: the booking is confirmed once
            paid
    """

    id: UUID
    subject: None | str
    status: BookingOutStatus
    start: datetime.datetime
    end: datetime.datetime
    hold_expires_at: datetime.datetime | None
    requires_confirmation: bool
    entity_id: None | UUID
    series_id: None | UUID
    workflow_id: None | str
    confirmed_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    cancel_reason: None | str
    late_cancellation: bool
    details: BookingOutDetails
    created_by: None | UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    allocations: list[AllocationOut]
    payment: BookingPaymentOut | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.booking_payment_out import BookingPaymentOut

        id = str(self.id)

        subject: None | str
        subject = self.subject

        status = self.status.value

        start = self.start.isoformat()

        end = self.end.isoformat()

        hold_expires_at: None | str
        if isinstance(self.hold_expires_at, datetime.datetime):
            hold_expires_at = self.hold_expires_at.isoformat()
        else:
            hold_expires_at = self.hold_expires_at

        requires_confirmation = self.requires_confirmation

        entity_id: None | str
        if isinstance(self.entity_id, UUID):
            entity_id = str(self.entity_id)
        else:
            entity_id = self.entity_id

        series_id: None | str
        if isinstance(self.series_id, UUID):
            series_id = str(self.series_id)
        else:
            series_id = self.series_id

        workflow_id: None | str
        workflow_id = self.workflow_id

        confirmed_at: None | str
        if isinstance(self.confirmed_at, datetime.datetime):
            confirmed_at = self.confirmed_at.isoformat()
        else:
            confirmed_at = self.confirmed_at

        cancelled_at: None | str
        if isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        cancel_reason: None | str
        cancel_reason = self.cancel_reason

        late_cancellation = self.late_cancellation

        details = self.details.to_dict()

        created_by: None | str
        if isinstance(self.created_by, UUID):
            created_by = str(self.created_by)
        else:
            created_by = self.created_by

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        allocations = []
        for allocations_item_data in self.allocations:
            allocations_item = allocations_item_data.to_dict()
            allocations.append(allocations_item)

        payment: dict[str, Any] | None | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        elif isinstance(self.payment, BookingPaymentOut):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "subject": subject,
                "status": status,
                "start": start,
                "end": end,
                "hold_expires_at": hold_expires_at,
                "requires_confirmation": requires_confirmation,
                "entity_id": entity_id,
                "series_id": series_id,
                "workflow_id": workflow_id,
                "confirmed_at": confirmed_at,
                "cancelled_at": cancelled_at,
                "cancel_reason": cancel_reason,
                "late_cancellation": late_cancellation,
                "details": details,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
                "allocations": allocations,
            }
        )
        if payment is not UNSET:
            field_dict["payment"] = payment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.allocation_out import AllocationOut
        from ..models.booking_out_details import BookingOutDetails
        from ..models.booking_payment_out import BookingPaymentOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_subject(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subject = _parse_subject(d.pop("subject"))

        status = BookingOutStatus(d.pop("status"))

        start = datetime.datetime.fromisoformat(d.pop("start"))

        end = datetime.datetime.fromisoformat(d.pop("end"))

        def _parse_hold_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hold_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return hold_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        hold_expires_at = _parse_hold_expires_at(d.pop("hold_expires_at"))

        requires_confirmation = d.pop("requires_confirmation")

        def _parse_entity_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                entity_id_type_0 = UUID(data)

                return entity_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        entity_id = _parse_entity_id(d.pop("entity_id"))

        def _parse_series_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                series_id_type_0 = UUID(data)

                return series_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        series_id = _parse_series_id(d.pop("series_id"))

        def _parse_workflow_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        def _parse_confirmed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                confirmed_at_type_0 = datetime.datetime.fromisoformat(data)

                return confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmed_at"))

        def _parse_cancelled_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelled_at"))

        def _parse_cancel_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancel_reason"))

        late_cancellation = d.pop("late_cancellation")

        details = BookingOutDetails.from_dict(d.pop("details"))

        def _parse_created_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_by_type_0 = UUID(data)

                return created_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        created_by = _parse_created_by(d.pop("created_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        allocations = []
        _allocations = d.pop("allocations")
        for allocations_item_data in _allocations:
            allocations_item = AllocationOut.from_dict(allocations_item_data)

            allocations.append(allocations_item)

        def _parse_payment(data: object) -> BookingPaymentOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = BookingPaymentOut.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BookingPaymentOut | None | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        booking_out = cls(
            id=id,
            subject=subject,
            status=status,
            start=start,
            end=end,
            hold_expires_at=hold_expires_at,
            requires_confirmation=requires_confirmation,
            entity_id=entity_id,
            series_id=series_id,
            workflow_id=workflow_id,
            confirmed_at=confirmed_at,
            cancelled_at=cancelled_at,
            cancel_reason=cancel_reason,
            late_cancellation=late_cancellation,
            details=details,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            allocations=allocations,
            payment=payment,
        )

        booking_out.additional_properties = d
        return booking_out

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
