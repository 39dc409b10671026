from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.campaign_out_audience import CampaignOutAudience
    from ..models.progress import Progress


T = TypeVar("T", bound="CampaignOut")


@_attrs_define
class CampaignOut:
    """
    Attributes:
        id (UUID):
        name (None | str):
        template (str):
        audience (CampaignOutAudience):
        channels (list[str]):
        category (str):
        rate_per_minute (int):
        send_at (datetime.datetime | None):
        status (str):
        progress (Progress):
        workflow_id (None | str):
        created_at (datetime.datetime):
        finished_at (datetime.datetime | None):
    """

    id: UUID
    name: None | str
    template: str
    audience: CampaignOutAudience
    channels: list[str]
    category: str
    rate_per_minute: int
    send_at: datetime.datetime | None
    status: str
    progress: Progress
    workflow_id: None | str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name: None | str
        name = self.name

        template = self.template

        audience = self.audience.to_dict()

        channels = self.channels

        category = self.category

        rate_per_minute = self.rate_per_minute

        send_at: None | str
        if isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        status = self.status

        progress = self.progress.to_dict()

        workflow_id: None | str
        workflow_id = self.workflow_id

        created_at = self.created_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "template": template,
                "audience": audience,
                "channels": channels,
                "category": category,
                "rate_per_minute": rate_per_minute,
                "send_at": send_at,
                "status": status,
                "progress": progress,
                "workflow_id": workflow_id,
                "created_at": created_at,
                "finished_at": finished_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.campaign_out_audience import CampaignOutAudience
        from ..models.progress import Progress

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        template = d.pop("template")

        audience = CampaignOutAudience.from_dict(d.pop("audience"))

        channels = cast(list[str], d.pop("channels"))

        category = d.pop("category")

        rate_per_minute = d.pop("rate_per_minute")

        def _parse_send_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)

                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        send_at = _parse_send_at(d.pop("send_at"))

        status = d.pop("status")

        progress = Progress.from_dict(d.pop("progress"))

        def _parse_workflow_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

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

        campaign_out = cls(
            id=id,
            name=name,
            template=template,
            audience=audience,
            channels=channels,
            category=category,
            rate_per_minute=rate_per_minute,
            send_at=send_at,
            status=status,
            progress=progress,
            workflow_id=workflow_id,
            created_at=created_at,
            finished_at=finished_at,
        )

        campaign_out.additional_properties = d
        return campaign_out

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
