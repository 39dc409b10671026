from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.signing_audit_entry_out_details import SigningAuditEntryOutDetails


T = TypeVar("T", bound="SigningAuditEntryOut")


@_attrs_define
class SigningAuditEntryOut:
    """
    Attributes:
        action (str):
        at (datetime.datetime):
        signer_id (None | UUID):
        signer_email (None | str):
        ip (None | str):
        user_agent (None | str):
        document_sha256 (str):
        details (SigningAuditEntryOutDetails):
    """

    action: str
    at: datetime.datetime
    signer_id: None | UUID
    signer_email: None | str
    ip: None | str
    user_agent: None | str
    document_sha256: str
    details: SigningAuditEntryOutDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        at = self.at.isoformat()

        signer_id: None | str
        if isinstance(self.signer_id, UUID):
            signer_id = str(self.signer_id)
        else:
            signer_id = self.signer_id

        signer_email: None | str
        signer_email = self.signer_email

        ip: None | str
        ip = self.ip

        user_agent: None | str
        user_agent = self.user_agent

        document_sha256 = self.document_sha256

        details = self.details.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "at": at,
                "signer_id": signer_id,
                "signer_email": signer_email,
                "ip": ip,
                "user_agent": user_agent,
                "document_sha256": document_sha256,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.signing_audit_entry_out_details import SigningAuditEntryOutDetails

        d = dict(src_dict)
        action = d.pop("action")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_signer_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signer_id_type_0 = UUID(data)

                return signer_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        signer_id = _parse_signer_id(d.pop("signer_id"))

        def _parse_signer_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        signer_email = _parse_signer_email(d.pop("signer_email"))

        def _parse_ip(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip = _parse_ip(d.pop("ip"))

        def _parse_user_agent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        user_agent = _parse_user_agent(d.pop("user_agent"))

        document_sha256 = d.pop("document_sha256")

        details = SigningAuditEntryOutDetails.from_dict(d.pop("details"))

        signing_audit_entry_out = cls(
            action=action,
            at=at,
            signer_id=signer_id,
            signer_email=signer_email,
            ip=ip,
            user_agent=user_agent,
            document_sha256=document_sha256,
            details=details,
        )

        signing_audit_entry_out.additional_properties = d
        return signing_audit_entry_out

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
