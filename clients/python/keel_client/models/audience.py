from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recipient import Recipient
    from ..models.user_audience import UserAudience


T = TypeVar("T", bound="Audience")


@_attrs_define
class Audience:
    """Exactly one of a filter over the tenant's users or a list of contacts (email or phone).

    Attributes:
        users (None | Unset | UserAudience):
        recipients (list[Recipient] | None | Unset):
    """

    users: None | Unset | UserAudience = UNSET
    recipients: list[Recipient] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.user_audience import UserAudience

        users: dict[str, Any] | None | Unset
        if isinstance(self.users, Unset):
            users = UNSET
        elif isinstance(self.users, UserAudience):
            users = self.users.to_dict()
        else:
            users = self.users

        recipients: list[dict[str, Any]] | None | Unset
        if isinstance(self.recipients, Unset):
            recipients = UNSET
        elif isinstance(self.recipients, list):
            recipients = []
            for recipients_type_0_item_data in self.recipients:
                recipients_type_0_item = recipients_type_0_item_data.to_dict()
                recipients.append(recipients_type_0_item)

        else:
            recipients = self.recipients

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if users is not UNSET:
            field_dict["users"] = users
        if recipients is not UNSET:
            field_dict["recipients"] = recipients

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.recipient import Recipient
        from ..models.user_audience import UserAudience

        d = dict(src_dict)

        def _parse_users(data: object) -> None | Unset | UserAudience:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                users_type_0 = UserAudience.from_dict(data)

                return users_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserAudience, data)

        users = _parse_users(d.pop("users", UNSET))

        def _parse_recipients(data: object) -> list[Recipient] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                recipients_type_0 = []
                _recipients_type_0 = data
                for recipients_type_0_item_data in _recipients_type_0:
                    recipients_type_0_item = Recipient.from_dict(
                        recipients_type_0_item_data
                    )

                    recipients_type_0.append(recipients_type_0_item)

                return recipients_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Recipient] | None | Unset, data)

        recipients = _parse_recipients(d.pop("recipients", UNSET))

        audience = cls(
            users=users,
            recipients=recipients,
        )

        return audience
