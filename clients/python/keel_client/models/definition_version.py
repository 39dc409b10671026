from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.definition_version_parsed import DefinitionVersionParsed


T = TypeVar("T", bound="DefinitionVersion")


@_attrs_define
class DefinitionVersion:
    """
    Attributes:
        name (str):
        version (int):
        origin (str):
        sha256 (str):
        description (None | str):
        source (str):
        parsed (DefinitionVersionParsed):
        mermaid (str):
    """

    name: str
    version: int
    origin: str
    sha256: str
    description: None | str
    source: str
    parsed: DefinitionVersionParsed
    mermaid: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        origin = self.origin

        sha256 = self.sha256

        description: None | str
        description = self.description

        source = self.source

        parsed = self.parsed.to_dict()

        mermaid = self.mermaid

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "origin": origin,
                "sha256": sha256,
                "description": description,
                "source": source,
                "parsed": parsed,
                "mermaid": mermaid,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.definition_version_parsed import DefinitionVersionParsed

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        origin = d.pop("origin")

        sha256 = d.pop("sha256")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        source = d.pop("source")

        parsed = DefinitionVersionParsed.from_dict(d.pop("parsed"))

        mermaid = d.pop("mermaid")

        definition_version = cls(
            name=name,
            version=version,
            origin=origin,
            sha256=sha256,
            description=description,
            source=source,
            parsed=parsed,
            mermaid=mermaid,
        )

        definition_version.additional_properties = d
        return definition_version

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
