from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.metric_out_origin import MetricOutOrigin
from ..models.metric_out_unit import MetricOutUnit
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.metric_out_declaration import MetricOutDeclaration


T = TypeVar("T", bound="MetricOut")


@_attrs_define
class MetricOut:
    """
    Attributes:
        name (str):
        version (int):
        title (str):
        origin (MetricOutOrigin):
        sha256 (str):
        source (str): the declaration's YAML
        declaration (MetricOutDeclaration):
        unit (MetricOutUnit):
        description (None | str | Unset):
    """

    name: str
    version: int
    title: str
    origin: MetricOutOrigin
    sha256: str
    source: str
    declaration: MetricOutDeclaration
    unit: MetricOutUnit
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        title = self.title

        origin = self.origin.value

        sha256 = self.sha256

        source = self.source

        declaration = self.declaration.to_dict()

        unit = self.unit.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "title": title,
                "origin": origin,
                "sha256": sha256,
                "source": source,
                "declaration": declaration,
                "unit": unit,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.metric_out_declaration import MetricOutDeclaration

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        title = d.pop("title")

        origin = MetricOutOrigin(d.pop("origin"))

        sha256 = d.pop("sha256")

        source = d.pop("source")

        declaration = MetricOutDeclaration.from_dict(d.pop("declaration"))

        unit = MetricOutUnit(d.pop("unit"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        metric_out = cls(
            name=name,
            version=version,
            title=title,
            origin=origin,
            sha256=sha256,
            source=source,
            declaration=declaration,
            unit=unit,
            description=description,
        )

        metric_out.additional_properties = d
        return metric_out

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
