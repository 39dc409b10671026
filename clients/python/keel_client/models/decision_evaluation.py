from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.decision_evaluation_aggregation_type_0 import (
    DecisionEvaluationAggregationType0,
)
from ..models.decision_evaluation_hit_policy import DecisionEvaluationHitPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decision_evaluation_inputs import DecisionEvaluationInputs
    from ..models.explained import Explained


T = TypeVar("T", bound="DecisionEvaluation")


@_attrs_define
class DecisionEvaluation:
    """
    Attributes:
        decision (str):
        version (int):
        hit_policy (DecisionEvaluationHitPolicy):
        inputs (DecisionEvaluationInputs): each input's value as read from the context
        outputs (Any): unique, first, any, priority: {output: value} or null when no rule matched; collect and
            rule_order: a list of them; collect with an aggregation: {output: number}
        matched (list[int]): the numbers of the rules that matched, 1-based
        selected (list[int]): the matched rules the hit policy took the outputs from
        explanation (list[Explained]):
        aggregation (DecisionEvaluationAggregationType0 | None | Unset):
    """

    decision: str
    version: int
    hit_policy: DecisionEvaluationHitPolicy
    inputs: DecisionEvaluationInputs
    outputs: Any
    matched: list[int]
    selected: list[int]
    explanation: list[Explained]
    aggregation: DecisionEvaluationAggregationType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision

        version = self.version

        hit_policy = self.hit_policy.value

        inputs = self.inputs.to_dict()

        outputs = self.outputs

        matched = self.matched

        selected = self.selected

        explanation = []
        for explanation_item_data in self.explanation:
            explanation_item = explanation_item_data.to_dict()
            explanation.append(explanation_item)

        aggregation: None | str | Unset
        if isinstance(self.aggregation, Unset):
            aggregation = UNSET
        elif isinstance(self.aggregation, DecisionEvaluationAggregationType0):
            aggregation = self.aggregation.value
        else:
            aggregation = self.aggregation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
                "version": version,
                "hit_policy": hit_policy,
                "inputs": inputs,
                "outputs": outputs,
                "matched": matched,
                "selected": selected,
                "explanation": explanation,
            }
        )
        if aggregation is not UNSET:
            field_dict["aggregation"] = aggregation

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.decision_evaluation_inputs import DecisionEvaluationInputs
        from ..models.explained import Explained

        d = dict(src_dict)
        decision = d.pop("decision")

        version = d.pop("version")

        hit_policy = DecisionEvaluationHitPolicy(d.pop("hit_policy"))

        inputs = DecisionEvaluationInputs.from_dict(d.pop("inputs"))

        outputs = d.pop("outputs")

        matched = cast(list[int], d.pop("matched"))

        selected = cast(list[int], d.pop("selected"))

        explanation = []
        _explanation = d.pop("explanation")
        for explanation_item_data in _explanation:
            explanation_item = Explained.from_dict(explanation_item_data)

            explanation.append(explanation_item)

        def _parse_aggregation(
            data: object,
        ) -> DecisionEvaluationAggregationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aggregation_type_0 = DecisionEvaluationAggregationType0(data)

                return aggregation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DecisionEvaluationAggregationType0 | None | Unset, data)

        aggregation = _parse_aggregation(d.pop("aggregation", UNSET))

        decision_evaluation = cls(
            decision=decision,
            version=version,
            hit_policy=hit_policy,
            inputs=inputs,
            outputs=outputs,
            matched=matched,
            selected=selected,
            explanation=explanation,
            aggregation=aggregation,
        )

        decision_evaluation.additional_properties = d
        return decision_evaluation

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
