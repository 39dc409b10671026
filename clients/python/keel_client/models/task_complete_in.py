from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_complete_in_data_type_0 import TaskCompleteInDataType0


T = TypeVar("T", bound="TaskCompleteIn")


@_attrs_define
class TaskCompleteIn:
    """
    Attributes:
        outcome (str): one of the task's outcomes
        comment (None | str | Unset):
        data (None | TaskCompleteInDataType0 | Unset): what the task's form asks for
    """

    outcome: str
    comment: None | str | Unset = UNSET
    data: None | TaskCompleteInDataType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_complete_in_data_type_0 import TaskCompleteInDataType0

        outcome = self.outcome

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, TaskCompleteInDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outcome": outcome,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.task_complete_in_data_type_0 import TaskCompleteInDataType0

        d = dict(src_dict)
        outcome = d.pop("outcome")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        def _parse_data(data: object) -> None | TaskCompleteInDataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = TaskCompleteInDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskCompleteInDataType0 | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

        task_complete_in = cls(
            outcome=outcome,
            comment=comment,
            data=data,
        )

        return task_complete_in
