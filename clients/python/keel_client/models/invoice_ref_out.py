from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InvoiceRefOut")


@_attrs_define
class InvoiceRefOut:
    """
    Attributes:
        id (UUID):
        kind (str):
        period_start (datetime.datetime):
        period_end (datetime.datetime):
        number (None | str):
        status (str):
        total (str):
    """

    id: UUID
    kind: str
    period_start: datetime.datetime
    period_end: datetime.datetime
    number: None | str
    status: str
    total: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        number: None | str
        number = self.number

        status = self.status

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "period_start": period_start,
                "period_end": period_end,
                "number": number,
                "status": status,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        period_start = datetime.datetime.fromisoformat(d.pop("period_start"))

        period_end = datetime.datetime.fromisoformat(d.pop("period_end"))

        def _parse_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        number = _parse_number(d.pop("number"))

        status = d.pop("status")

        total = d.pop("total")

        invoice_ref_out = cls(
            id=id,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            number=number,
            status=status,
            total=total,
        )

        invoice_ref_out.additional_properties = d
        return invoice_ref_out

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
