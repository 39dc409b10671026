from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SetupIntentOut")


@_attrs_define
class SetupIntentOut:
    """
    Attributes:
        setup_intent_id (str):
        client_secret (None | str): for Stripe.js (confirmCardSetup) in the customer's browser
        status (str):
    """

    setup_intent_id: str
    client_secret: None | str
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        setup_intent_id = self.setup_intent_id

        client_secret: None | str
        client_secret = self.client_secret

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "setup_intent_id": setup_intent_id,
                "client_secret": client_secret,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        setup_intent_id = d.pop("setup_intent_id")

        def _parse_client_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_secret = _parse_client_secret(d.pop("client_secret"))

        status = d.pop("status")

        setup_intent_out = cls(
            setup_intent_id=setup_intent_id,
            client_secret=client_secret,
            status=status,
        )

        setup_intent_out.additional_properties = d
        return setup_intent_out

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
