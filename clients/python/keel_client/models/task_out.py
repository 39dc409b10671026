from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_out_status import TaskOutStatus

if TYPE_CHECKING:
    from ..models.task_out_data import TaskOutData


T = TypeVar("T", bound="TaskOut")


@_attrs_define
class TaskOut:
    """
    Attributes:
        id (UUID):
        process_id (UUID):
        step (int):
        title (str):
        assignee (str):
        status (TaskOutStatus):
        outcome (None | str):
        comment (None | str):
        completed_by (None | UUID):
        completed_at (datetime.datetime | None):
        due_at (datetime.datetime | None):
        escalation_level (int):
        data (TaskOutData):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: UUID
    process_id: UUID
    step: int
    title: str
    assignee: str
    status: TaskOutStatus
    outcome: None | str
    comment: None | str
    completed_by: None | UUID
    completed_at: datetime.datetime | None
    due_at: datetime.datetime | None
    escalation_level: int
    data: TaskOutData
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        process_id = str(self.process_id)

        step = self.step

        title = self.title

        assignee = self.assignee

        status = self.status.value

        outcome: None | str
        outcome = self.outcome

        comment: None | str
        comment = self.comment

        completed_by: None | str
        if isinstance(self.completed_by, UUID):
            completed_by = str(self.completed_by)
        else:
            completed_by = self.completed_by

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        due_at: None | str
        if isinstance(self.due_at, datetime.datetime):
            due_at = self.due_at.isoformat()
        else:
            due_at = self.due_at

        escalation_level = self.escalation_level

        data = self.data.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "process_id": process_id,
                "step": step,
                "title": title,
                "assignee": assignee,
                "status": status,
                "outcome": outcome,
                "comment": comment,
                "completed_by": completed_by,
                "completed_at": completed_at,
                "due_at": due_at,
                "escalation_level": escalation_level,
                "data": data,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_out_data import TaskOutData

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        process_id = UUID(d.pop("process_id"))

        step = d.pop("step")

        title = d.pop("title")

        assignee = d.pop("assignee")

        status = TaskOutStatus(d.pop("status"))

        def _parse_outcome(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        outcome = _parse_outcome(d.pop("outcome"))

        def _parse_comment(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        comment = _parse_comment(d.pop("comment"))

        def _parse_completed_by(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_by_type_0 = UUID(data)

                return completed_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        completed_by = _parse_completed_by(d.pop("completed_by"))

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

        def _parse_due_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                due_at_type_0 = datetime.datetime.fromisoformat(data)

                return due_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        due_at = _parse_due_at(d.pop("due_at"))

        escalation_level = d.pop("escalation_level")

        data = TaskOutData.from_dict(d.pop("data"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        task_out = cls(
            id=id,
            process_id=process_id,
            step=step,
            title=title,
            assignee=assignee,
            status=status,
            outcome=outcome,
            comment=comment,
            completed_by=completed_by,
            completed_at=completed_at,
            due_at=due_at,
            escalation_level=escalation_level,
            data=data,
            created_at=created_at,
            updated_at=updated_at,
        )

        task_out.additional_properties = d
        return task_out

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
