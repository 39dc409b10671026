from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.decision_version_origin import DecisionVersionOrigin

if TYPE_CHECKING:
    from ..models.decision_version_document import DecisionVersionDocument
    from ..models.decision_warning import DecisionWarning


T = TypeVar("T", bound="DecisionVersion")


@_attrs_define
class DecisionVersion:
    """
    Attributes:
        name (str):
        version (int):
        origin (DecisionVersionOrigin):
        sha256 (str):
        description (None | str):
        hit_policy (str):
        source (str): the YAML as published
        document (DecisionVersionDocument): the table in its canonical form
        warnings (list[DecisionWarning]): gaps, unreachable rules and overlaps that are no error
        markdown (str):
        html (str): a self-contained <table>, every text escaped
    """

    name: str
    version: int
    origin: DecisionVersionOrigin
    sha256: str
    description: None | str
    hit_policy: str
    source: str
    document: DecisionVersionDocument
    warnings: list[DecisionWarning]
    markdown: str
    html: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        origin = self.origin.value

        sha256 = self.sha256

        description: None | str
        description = self.description

        hit_policy = self.hit_policy

        source = self.source

        document = self.document.to_dict()

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        markdown = self.markdown

        html = self.html

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "origin": origin,
                "sha256": sha256,
                "description": description,
                "hit_policy": hit_policy,
                "source": source,
                "document": document,
                "warnings": warnings,
                "markdown": markdown,
                "html": html,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.decision_version_document import DecisionVersionDocument
        from ..models.decision_warning import DecisionWarning

        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        origin = DecisionVersionOrigin(d.pop("origin"))

        sha256 = d.pop("sha256")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))

        hit_policy = d.pop("hit_policy")

        source = d.pop("source")

        document = DecisionVersionDocument.from_dict(d.pop("document"))

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = DecisionWarning.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        markdown = d.pop("markdown")

        html = d.pop("html")

        decision_version = cls(
            name=name,
            version=version,
            origin=origin,
            sha256=sha256,
            description=description,
            hit_policy=hit_policy,
            source=source,
            document=document,
            warnings=warnings,
            markdown=markdown,
            html=html,
        )

        decision_version.additional_properties = d
        return decision_version

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
