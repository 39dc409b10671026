from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.field_out import FieldOut
    from ..models.signer_out import SignerOut


T = TypeVar("T", bound="SigningRequestOut")


@_attrs_define
class SigningRequestOut:
    """
    Attributes:
        id (UUID):
        status (str):
        status_reason (None | str):
        title (str):
        message (None | str):
        document_id (UUID):
        document_version (int):
        final_version (int | None): the document's version holding the sealed result
        current_order (int):
        expires_at (datetime.datetime):
        reminder_every (None | str):
        signers (list[SignerOut]):
        fields (list[FieldOut]):
        created_at (datetime.datetime):
        completed_at (datetime.datetime | None):
    """

    id: UUID
    status: str
    status_reason: None | str
    title: str
    message: None | str
    document_id: UUID
    document_version: int
    final_version: int | None
    current_order: int
    expires_at: datetime.datetime
    reminder_every: None | str
    signers: list[SignerOut]
    fields: list[FieldOut]
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        status = self.status

        status_reason: None | str
        status_reason = self.status_reason

        title = self.title

        message: None | str
        message = self.message

        document_id = str(self.document_id)

        document_version = self.document_version

        final_version: int | None
        final_version = self.final_version

        current_order = self.current_order

        expires_at = self.expires_at.isoformat()

        reminder_every: None | str
        reminder_every = self.reminder_every

        signers = []
        for signers_item_data in self.signers:
            signers_item = signers_item_data.to_dict()
            signers.append(signers_item)

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "status_reason": status_reason,
                "title": title,
                "message": message,
                "document_id": document_id,
                "document_version": document_version,
                "final_version": final_version,
                "current_order": current_order,
                "expires_at": expires_at,
                "reminder_every": reminder_every,
                "signers": signers,
                "fields": fields,
                "created_at": created_at,
                "completed_at": completed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_out import FieldOut
        from ..models.signer_out import SignerOut

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        status = d.pop("status")

        def _parse_status_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_reason = _parse_status_reason(d.pop("status_reason"))

        title = d.pop("title")

        def _parse_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        message = _parse_message(d.pop("message"))

        document_id = UUID(d.pop("document_id"))

        document_version = d.pop("document_version")

        def _parse_final_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        final_version = _parse_final_version(d.pop("final_version"))

        current_order = d.pop("current_order")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_reminder_every(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reminder_every = _parse_reminder_every(d.pop("reminder_every"))

        signers = []
        _signers = d.pop("signers")
        for signers_item_data in _signers:
            signers_item = SignerOut.from_dict(signers_item_data)

            signers.append(signers_item)

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldOut.from_dict(fields_item_data)

            fields.append(fields_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        signing_request_out = cls(
            id=id,
            status=status,
            status_reason=status_reason,
            title=title,
            message=message,
            document_id=document_id,
            document_version=document_version,
            final_version=final_version,
            current_order=current_order,
            expires_at=expires_at,
            reminder_every=reminder_every,
            signers=signers,
            fields=fields,
            created_at=created_at,
            completed_at=completed_at,
        )

        signing_request_out.additional_properties = d
        return signing_request_out

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
