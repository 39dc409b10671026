from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.anchor_field_in import AnchorFieldIn
    from ..models.box_field_in import BoxFieldIn
    from ..models.reminders_in import RemindersIn
    from ..models.signer_in import SignerIn


T = TypeVar("T", bound="SigningRequestIn")


@_attrs_define
class SigningRequestIn:
    """
    Attributes:
        document_id (UUID):
        title (str):
        signers (list[SignerIn]):
        message (None | str | Unset):
        fields (list[AnchorFieldIn | BoxFieldIn] | Unset):
        expires_in (str | Unset): ISO 8601, from PT1H to P365D (default P14D) Default: 'P14D'.
        reminders (None | RemindersIn | Unset):
    """

    document_id: UUID
    title: str
    signers: list[SignerIn]
    message: None | str | Unset = UNSET
    fields: list[AnchorFieldIn | BoxFieldIn] | Unset = UNSET
    expires_in: str | Unset = "P14D"
    reminders: None | RemindersIn | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.box_field_in import BoxFieldIn
        from ..models.reminders_in import RemindersIn

        document_id = str(self.document_id)

        title = self.title

        signers = []
        for signers_item_data in self.signers:
            signers_item = signers_item_data.to_dict()
            signers.append(signers_item)

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        fields: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = []
            for fields_item_data in self.fields:
                fields_item: dict[str, Any]
                if isinstance(fields_item_data, BoxFieldIn):
                    fields_item = fields_item_data.to_dict()
                else:
                    fields_item = fields_item_data.to_dict()

                fields.append(fields_item)

        expires_in = self.expires_in

        reminders: dict[str, Any] | None | Unset
        if isinstance(self.reminders, Unset):
            reminders = UNSET
        elif isinstance(self.reminders, RemindersIn):
            reminders = self.reminders.to_dict()
        else:
            reminders = self.reminders

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "document_id": document_id,
                "title": title,
                "signers": signers,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if fields is not UNSET:
            field_dict["fields"] = fields
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if reminders is not UNSET:
            field_dict["reminders"] = reminders

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.anchor_field_in import AnchorFieldIn
        from ..models.box_field_in import BoxFieldIn
        from ..models.reminders_in import RemindersIn
        from ..models.signer_in import SignerIn

        d = dict(src_dict)
        document_id = UUID(d.pop("document_id"))

        title = d.pop("title")

        signers = []
        _signers = d.pop("signers")
        for signers_item_data in _signers:
            signers_item = SignerIn.from_dict(signers_item_data)

            signers.append(signers_item)

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        _fields = d.pop("fields", UNSET)
        fields: list[AnchorFieldIn | BoxFieldIn] | Unset = UNSET
        if _fields is not UNSET:
            fields = []
            for fields_item_data in _fields:

                def _parse_fields_item(data: object) -> AnchorFieldIn | BoxFieldIn:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        fields_item_type_0 = BoxFieldIn.from_dict(data)

                        return fields_item_type_0
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    if not isinstance(data, dict):
                        raise TypeError()
                    fields_item_type_1 = AnchorFieldIn.from_dict(data)

                    return fields_item_type_1

                fields_item = _parse_fields_item(fields_item_data)

                fields.append(fields_item)

        expires_in = d.pop("expires_in", UNSET)

        def _parse_reminders(data: object) -> None | RemindersIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reminders_type_0 = RemindersIn.from_dict(data)

                return reminders_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RemindersIn | Unset, data)

        reminders = _parse_reminders(d.pop("reminders", UNSET))

        signing_request_in = cls(
            document_id=document_id,
            title=title,
            signers=signers,
            message=message,
            fields=fields,
            expires_in=expires_in,
            reminders=reminders,
        )

        return signing_request_in
