from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.resource_patch_payment_type_0 import ResourcePatchPaymentType0


T = TypeVar("T", bound="ResourcePatch")


@_attrs_define
class ResourcePatch:
    """Only the fields sent change; each is then checked as in a replace (``ResourceBody``).

    Attributes:
        name (None | str | Unset):
        kind (None | str | Unset):
        description (None | str | Unset):
        capacity (int | None | Unset):
        timezone (None | str | Unset):
        tags (list[str] | None | Unset):
        buffer_before (None | str | Unset):
        buffer_after (None | str | Unset):
        minimum_notice (None | str | Unset):
        user_id (None | Unset | UUID):
        entity_id (None | Unset | UUID):
        payment (None | ResourcePatchPaymentType0 | Unset): the payment terms, or null for none
    """

    name: None | str | Unset = UNSET
    kind: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    capacity: int | None | Unset = UNSET
    timezone: None | str | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    buffer_before: None | str | Unset = UNSET
    buffer_after: None | str | Unset = UNSET
    minimum_notice: None | str | Unset = UNSET
    user_id: None | Unset | UUID = UNSET
    entity_id: None | Unset | UUID = UNSET
    payment: None | ResourcePatchPaymentType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.resource_patch_payment_type_0 import ResourcePatchPaymentType0

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        else:
            kind = self.kind

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        capacity: int | None | Unset
        if isinstance(self.capacity, Unset):
            capacity = UNSET
        else:
            capacity = self.capacity

        timezone: None | str | Unset
        if isinstance(self.timezone, Unset):
            timezone = UNSET
        else:
            timezone = self.timezone

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
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
        elif isinstance(self.payment, ResourcePatchPaymentType0):
            payment = self.payment.to_dict()
        else:
            payment = self.payment

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if kind is not UNSET:
            field_dict["kind"] = kind
        if description is not UNSET:
            field_dict["description"] = description
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
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
        from ..models.resource_patch_payment_type_0 import ResourcePatchPaymentType0

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_capacity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        capacity = _parse_capacity(d.pop("capacity", UNSET))

        def _parse_timezone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        timezone = _parse_timezone(d.pop("timezone", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

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

        def _parse_payment(data: object) -> None | ResourcePatchPaymentType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payment_type_0 = ResourcePatchPaymentType0.from_dict(data)

                return payment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResourcePatchPaymentType0 | Unset, data)

        payment = _parse_payment(d.pop("payment", UNSET))

        resource_patch = cls(
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
            payment=payment,
        )

        return resource_patch
