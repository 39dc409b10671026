from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.resource_body_kind import ResourceBodyKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource_payment_in import ResourcePaymentIn


T = TypeVar("T", bound="ResourceBody")


@_attrs_define
class ResourceBody:
    """
    Attributes:
        name (str):
        timezone (str): IANA name, e.g. Europe/Paris
        kind (ResourceBodyKind | Unset):  Default: ResourceBodyKind.OTHER.
        description (None | str | Unset):
        capacity (int | Unset):  Default: 1.
        tags (list[str] | Unset):
        buffer_before (None | str | Unset): ISO 8601 duration, e.g. PT15M
        buffer_after (None | str | Unset): ISO 8601 duration, e.g. PT15M
        minimum_notice (None | str | Unset): ISO 8601 duration, at most P365D: no slot is offered and no booking may
            start before now plus this notice
        user_id (None | Unset | UUID):
        entity_id (None | Unset | UUID):
        payment (None | ResourcePaymentIn | Unset): bookings are held until their invoice is paid; null: no payment
    """

    name: str
    timezone: str
    kind: ResourceBodyKind | Unset = ResourceBodyKind.OTHER
    description: None | str | Unset = UNSET
    capacity: int | Unset = 1
    tags: list[str] | Unset = UNSET
    buffer_before: None | str | Unset = UNSET
    buffer_after: None | str | Unset = UNSET
    minimum_notice: None | str | Unset = UNSET
    user_id: None | Unset | UUID = UNSET
    entity_id: None | Unset | UUID = UNSET
    payment: None | ResourcePaymentIn | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.resource_payment_in import ResourcePaymentIn

        name = self.name

        timezone = self.timezone

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        capacity = self.capacity

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        buffer_before: None | str | Unset
        if isinstance(self.buffer_before, Unset):
            buffer_before = UNSET
        else:
            buffer_before = self.buffer_before

        buffer_after: None | str | Unset
        if isinstance(self.buffer_after, Unset):
            buffer_after = UNSET
        else:
            buffer_after = self.buffer_after

        minimum_notice: None | str | Unset
        if isinstance(self.minimum_notice, Unset):
            minimum_notice = UNSET
        else:
            minimum_notice = self.minimum_notice

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        elif isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        entity_id: None | str | Unset
        if isinstance(self.entity_id, Unset):
            entity_id = UNSET
        elif isinstance(self.entity_id, UUID):
            entity_id = str(self.entity_id)
        else:
            entity_id = self.entity_id

        payment: dict[str, Any] | None | Unset
        if isinstance(self.payment, Unset):
            payment = UNSET
        elif isinstance(self.payment, ResourcePaymentIn):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "timezone": timezone,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if description is not UNSET:
            field_dict["description"] = description
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if tags is not UNSET:
            field_dict["tags"] = tags
        if buffer_before is not UNSET:
            field_dict["buffer_before"] = buffer_before
        if buffer_after is not UNSET:
            field_dict["buffer_after"] = buffer_after
        if minimum_notice is not UNSET:
            field_dict["minimum_notice"] = minimum_notice
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if entity_id is not UNSET:
            field_dict["entity_id"] = entity_id
        if payment is not UNSET:
            field_dict["payment"] = payment

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.resource_payment_in import ResourcePaymentIn

        d = dict(src_dict)
        name = d.pop("name")

        timezone = d.pop("timezone")

        _kind = d.pop("kind", UNSET)
        kind: ResourceBodyKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ResourceBodyKind(_kind)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        capacity = d.pop("capacity", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        def _parse_buffer_before(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buffer_before = _parse_buffer_before(d.pop("buffer_before", UNSET))

        def _parse_buffer_after(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        buffer_after = _parse_buffer_after(d.pop("buffer_after", UNSET))

        def _parse_minimum_notice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        minimum_notice = _parse_minimum_notice(d.pop("minimum_notice", UNSET))

        def _parse_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        def _parse_entity_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                entity_id_type_0 = UUID(data)

                return entity_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        entity_id = _parse_entity_id(d.pop("entity_id", UNSET))

        def _parse_payment(data: object) -> None | ResourcePaymentIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = ResourcePaymentIn.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResourcePaymentIn | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        resource_body = cls(
            name=name,
            timezone=timezone,
            kind=kind,
            description=description,
            capacity=capacity,
            tags=tags,
            buffer_before=buffer_before,
            buffer_after=buffer_after,
            minimum_notice=minimum_notice,
            user_id=user_id,
            entity_id=entity_id,
            payment=payment,
        )

        return resource_body
