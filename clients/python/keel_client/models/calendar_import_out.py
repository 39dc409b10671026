from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.calendar_import_out_kind import CalendarImportOutKind

T = TypeVar("T", bound="CalendarImportOut")


@_attrs_define
class CalendarImportOut:
    """
    Attributes:
        id (UUID):
        resource_id (UUID):
        kind (CalendarImportOutKind):
        url (None | str):
        url_redacted (None | str):
        interval (None | str):
        status (str):
        last_synced_at (datetime.datetime | None):
        last_error (None | str):
        events_imported (int):
        workflow_id (None | str):
        created_at (datetime.datetime):
    """

    id: UUID
    resource_id: UUID
    kind: CalendarImportOutKind
    url: None | str
    url_redacted: None | str
    interval: None | str
    status: str
    last_synced_at: datetime.datetime | None
    last_error: None | str
    events_imported: int
    workflow_id: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        resource_id = str(self.resource_id)

        kind = self.kind.value

        url: None | str
        url = self.url

        url_redacted: None | str
        url_redacted = self.url_redacted

        interval: None | str
        interval = self.interval

        status = self.status

        last_synced_at: None | str
        if isinstance(self.last_synced_at, datetime.datetime):
            last_synced_at = self.last_synced_at.isoformat()
        else:
            last_synced_at = self.last_synced_at

        last_error: None | str
        last_error = self.last_error

        events_imported = self.events_imported

        workflow_id: None | str
        workflow_id = self.workflow_id

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resource_id": resource_id,
                "kind": kind,
                "url": url,
                "url_redacted": url_redacted,
                "interval": interval,
                "status": status,
                "last_synced_at": last_synced_at,
                "last_error": last_error,
                "events_imported": events_imported,
                "workflow_id": workflow_id,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        resource_id = UUID(d.pop("resource_id"))

        kind = CalendarImportOutKind(d.pop("kind"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        def _parse_url_redacted(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url_redacted = _parse_url_redacted(d.pop("url_redacted"))

        def _parse_interval(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        interval = _parse_interval(d.pop("interval"))

        status = d.pop("status")

        def _parse_last_synced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_synced_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_synced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_synced_at = _parse_last_synced_at(d.pop("last_synced_at"))

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        events_imported = d.pop("events_imported")

        def _parse_workflow_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        calendar_import_out = cls(
            id=id,
            resource_id=resource_id,
            kind=kind,
            url=url,
            url_redacted=url_redacted,
            interval=interval,
            status=status,
            last_synced_at=last_synced_at,
            last_error=last_error,
            events_imported=events_imported,
            workflow_id=workflow_id,
            created_at=created_at,
        )

        calendar_import_out.additional_properties = d
        return calendar_import_out

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
