from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.import_out_mapping import ImportOutMapping


T = TypeVar("T", bound="ImportOut")


@_attrs_define
class ImportOut:
    """
    Attributes:
        id (UUID):
        type_ (str):
        status (str):
        format_ (str):
        mode (str):
        on_duplicate (str):
        filename (None | str):
        mapping (ImportOutMapping):
        rows_total (int | None):
        rows_read (int):
        rows_ok (int):
        rows_failed (int):
        rows_pending (int | None):
        error (None | str):
        workflow_id (None | str):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        duration_ms (int | None):
        rows_per_second (float | None):
    """

    id: UUID
    type_: str
    status: str
    format_: str
    mode: str
    on_duplicate: str
    filename: None | str
    mapping: ImportOutMapping
    rows_total: int | None
    rows_read: int
    rows_ok: int
    rows_failed: int
    rows_pending: int | None
    error: None | str
    workflow_id: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    duration_ms: int | None
    rows_per_second: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        status = self.status

        format_ = self.format_

        mode = self.mode

        on_duplicate = self.on_duplicate

        filename: None | str
        filename = self.filename

        mapping = self.mapping.to_dict()

        rows_total: int | None
        rows_total = self.rows_total

        rows_read = self.rows_read

        rows_ok = self.rows_ok

        rows_failed = self.rows_failed

        rows_pending: int | None
        rows_pending = self.rows_pending

        error: None | str
        error = self.error

        workflow_id: None | str
        workflow_id = self.workflow_id

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        duration_ms: int | None
        duration_ms = self.duration_ms

        rows_per_second: float | None
        rows_per_second = self.rows_per_second

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "format": format_,
                "mode": mode,
                "on_duplicate": on_duplicate,
                "filename": filename,
                "mapping": mapping,
                "rows_total": rows_total,
                "rows_read": rows_read,
                "rows_ok": rows_ok,
                "rows_failed": rows_failed,
                "rows_pending": rows_pending,
                "error": error,
                "workflow_id": workflow_id,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "duration_ms": duration_ms,
                "rows_per_second": rows_per_second,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.import_out_mapping import ImportOutMapping

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = d.pop("type")

        status = d.pop("status")

        format_ = d.pop("format")

        mode = d.pop("mode")

        on_duplicate = d.pop("on_duplicate")

        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))

        mapping = ImportOutMapping.from_dict(d.pop("mapping"))

        def _parse_rows_total(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rows_total = _parse_rows_total(d.pop("rows_total"))

        rows_read = d.pop("rows_read")

        rows_ok = d.pop("rows_ok")

        rows_failed = d.pop("rows_failed")

        def _parse_rows_pending(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rows_pending = _parse_rows_pending(d.pop("rows_pending"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_workflow_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        def _parse_rows_per_second(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        rows_per_second = _parse_rows_per_second(d.pop("rows_per_second"))

        import_out = cls(
            id=id,
            type_=type_,
            status=status,
            format_=format_,
            mode=mode,
            on_duplicate=on_duplicate,
            filename=filename,
            mapping=mapping,
            rows_total=rows_total,
            rows_read=rows_read,
            rows_ok=rows_ok,
            rows_failed=rows_failed,
            rows_pending=rows_pending,
            error=error,
            workflow_id=workflow_id,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            duration_ms=duration_ms,
            rows_per_second=rows_per_second,
        )

        import_out.additional_properties = d
        return import_out

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
