from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fill_in_fields import FillInFields


T = TypeVar("T", bound="FillIn")


@_attrs_define
class FillIn:
    """``POST /documents/{id}/fill``: values by field name; ``flatten`` prints them and removes the form.

    Attributes:
        fields (FillInFields):
        flatten (bool | Unset):  Default: False.
    """

    fields: FillInFields
    flatten: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields.to_dict()

        flatten = self.flatten

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )
        if flatten is not UNSET:
            field_dict["flatten"] = flatten

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.fill_in_fields import FillInFields

        d = dict(src_dict)
        fields = FillInFields.from_dict(d.pop("fields"))

        flatten = d.pop("flatten", UNSET)

        fill_in = cls(
            fields=fields,
            flatten=flatten,
        )

        return fill_in
