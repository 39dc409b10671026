from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.process_out_status import ProcessOutStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.process_out_input_type_0 import ProcessOutInputType0
    from ..models.process_out_state_type_0 import ProcessOutStateType0


T = TypeVar("T", bound="ProcessOut")


@_attrs_define
class ProcessOut:
    """
    Attributes:
        id (UUID):
        definition (str):
        business_key (str):
        workflow_id (str):
        status (ProcessOutStatus):
        version (int | None | Unset):
        input_ (None | ProcessOutInputType0 | Unset):
        state (None | ProcessOutStateType0 | Unset):
        result (Any | Unset): the definition's output (YAML) or the workflow's result
        error (None | str | Unset):
        started_by (None | Unset | UUID):
        started_at (datetime.datetime | None | Unset):
        closed_at (datetime.datetime | None | Unset):
        temporal_ui_url (None | str | Unset):
    """

    id: UUID
    definition: str
    business_key: str
    workflow_id: str
    status: ProcessOutStatus
    version: int | None | Unset = UNSET
    input_: None | ProcessOutInputType0 | Unset = UNSET
    state: None | ProcessOutStateType0 | Unset = UNSET
    result: Any | Unset = UNSET
    error: None | str | Unset = UNSET
    started_by: None | Unset | UUID = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    closed_at: datetime.datetime | None | Unset = UNSET
    temporal_ui_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.process_out_input_type_0 import ProcessOutInputType0
        from ..models.process_out_state_type_0 import ProcessOutStateType0

        id = str(self.id)

        definition = self.definition

        business_key = self.business_key

        workflow_id = self.workflow_id

        status = self.status.value

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, ProcessOutInputType0):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        state: dict[str, Any] | None | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, ProcessOutStateType0):
            state = self.state.to_dict()
        else:
            state = self.state

        result = self.result

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        started_by: None | str | Unset
        if isinstance(self.started_by, Unset):
            started_by = UNSET
        elif isinstance(self.started_by, UUID):
            started_by = str(self.started_by)
        else:
            started_by = self.started_by

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        elif isinstance(self.closed_at, datetime.datetime):
            closed_at = self.closed_at.isoformat()
        else:
            closed_at = self.closed_at

        temporal_ui_url: None | str | Unset
        if isinstance(self.temporal_ui_url, Unset):
            temporal_ui_url = UNSET
        else:
            temporal_ui_url = self.temporal_ui_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "definition": definition,
                "business_key": business_key,
                "workflow_id": workflow_id,
                "status": status,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if input_ is not UNSET:
            field_dict["input"] = input_
        if state is not UNSET:
            field_dict["state"] = state
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error
        if started_by is not UNSET:
            field_dict["started_by"] = started_by
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if temporal_ui_url is not UNSET:
            field_dict["temporal_ui_url"] = temporal_ui_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.process_out_input_type_0 import ProcessOutInputType0
        from ..models.process_out_state_type_0 import ProcessOutStateType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        definition = d.pop("definition")

        business_key = d.pop("business_key")

        workflow_id = d.pop("workflow_id")

        status = ProcessOutStatus(d.pop("status"))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_input_(data: object) -> None | ProcessOutInputType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = ProcessOutInputType0.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessOutInputType0 | Unset, data)

        input_ = _parse_input_(d.pop("input", UNSET))

        def _parse_state(data: object) -> None | ProcessOutStateType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                state_type_0 = ProcessOutStateType0.from_dict(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProcessOutStateType0 | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        result = d.pop("result", UNSET)

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_started_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_by_type_0 = UUID(data)

                return started_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        started_by = _parse_started_by(d.pop("started_by", UNSET))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_closed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_at_type_0 = datetime.datetime.fromisoformat(data)

                return closed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_temporal_ui_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        temporal_ui_url = _parse_temporal_ui_url(d.pop("temporal_ui_url", UNSET))

        process_out = cls(
            id=id,
            definition=definition,
            business_key=business_key,
            workflow_id=workflow_id,
            status=status,
            version=version,
            input_=input_,
            state=state,
            result=result,
            error=error,
            started_by=started_by,
            started_at=started_at,
            closed_at=closed_at,
            temporal_ui_url=temporal_ui_url,
        )

        process_out.additional_properties = d
        return process_out

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
