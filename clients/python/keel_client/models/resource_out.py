from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource_payment_out import ResourcePaymentOut


T = TypeVar("T", bound="ResourceOut")


@_attrs_define
class ResourceOut:
    """
    Attributes:
        id (UUID):
        name (str):
        kind (str):
        description (None | str):
        capacity (int):
        timezone (str):
        tags (list[str]):
        buffer_before (str):
        buffer_after (str):
        minimum_notice (str):
        user_id (None | UUID):
        entity_id (None | UUID):
        active (bool):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        deleted_at (datetime.datetime | None):
        payment (None | ResourcePaymentOut | Unset):
    """

    id: UUID
    name: str
    kind: str
    description: None | str
    capacity: int
    timezone: str
    tags: list[str]
    buffer_before: str
    buffer_after: str
    minimum_notice: str
    user_id: None | UUID
    entity_id: None | UUID
    active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deleted_at: datetime.datetime | None
    payment: None | ResourcePaymentOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.resource_payment_out import ResourcePaymentOut

        id = str(self.id)

        name = self.name

        kind = self.kind

        description: None | str
        description = self.description

        capacity = self.capacity

        timezone = self.timezone

        tags = self.tags

        buffer_before = self.buffer_before

        buffer_after = self.buffer_after

        minimum_notice = self.minimum_notice

        user_id: None | str
        if isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        entity_id: None | str
        if isinstance(self.entity_id, UUID):
            entity_id = str(self.entity_id)
        else:
            entity_id = self.entity_id

        active = self.active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        payment: dict[str, Any] | None | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        elif isinstance(self.payment, ResourcePaymentOut):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "kind": kind,
                "description": description,
                "capacity": capacity,
                "timezone": timezone,
                "tags": tags,
                "buffer_before": buffer_before,
                "buffer_after": buffer_after,
                "minimum_notice": minimum_notice,
                "user_id": user_id,
                "entity_id": entity_id,
                "active": active,
                "created_at": created_at,
                "updated_at": updated_at,
                "deleted_at": deleted_at,
            }
        )
        if payment is not UNSET:
            field_dict["payment"] = payment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resource_payment_out import ResourcePaymentOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        kind = d.pop("kind")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        capacity = d.pop("capacity")

        timezone = d.pop("timezone")

        tags = cast(list[str], d.pop("tags"))

        buffer_before = d.pop("buffer_before")

        buffer_after = d.pop("buffer_after")

        minimum_notice = d.pop("minimum_notice")

        def _parse_user_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        user_id = _parse_user_id(d.pop("user_id"))

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

        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        def _parse_payment(data: object) -> None | ResourcePaymentOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = ResourcePaymentOut.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResourcePaymentOut | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        resource_out = cls(
            id=id,
            name=name,
            kind=kind,
            description=description,
            capacity=capacity,
            timezone=timezone,
            tags=tags,
            buffer_before=buffer_before,
            buffer_after=buffer_after,
            minimum_notice=minimum_notice,
            user_id=user_id,
            entity_id=entity_id,
            active=active,
            created_at=created_at,
            updated_at=updated_at,
            deleted_at=deleted_at,
            payment=payment,
        )

        resource_out.additional_properties = d
        return resource_out

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
