"""A decision table (the YAML format, ``definitions/decisions/schema.json``): inputs read from a context,
outputs, a hit policy and rules of cells. Pydantic only, so a workflow can import it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

InputType = Literal["number", "string", "boolean", "date", "datetime", "duration"]
HitPolicy = Literal["unique", "first", "priority", "any", "collect", "rule_order"]
Aggregation = Literal["sum", "min", "max", "count"]

SLUG = r"^[a-z][a-z0-9_-]{0,63}$"
NAME = r"^[a-z][a-z0-9_]{0,63}$"
MAX_RULES = 5_000
MAX_INPUTS = 50
MAX_OUTPUTS = 50
MAX_CELL_LENGTH = 1_000  # characters of one input entry
MAX_EXPRESSION_LENGTH = 2_000  # characters of an input's expression
MAX_VALUES = 200  # allowed values of one output
MAX_TEXT_VALUE = 1_000  # characters of a string output value
MAX_DESCRIPTION = 2_000

_SCALAR = ["string", "number", "boolean"]


def _cell_text(value: Any) -> Any:
    """A cell written as a bare YAML number or boolean (``amount: 10``, ``vip: true``) is that literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return value


Cell = Annotated[
    str,
    BeforeValidator(_cell_text),
    Field(max_length=MAX_CELL_LENGTH),
    WithJsonSchema({"type": _SCALAR, "maxLength": MAX_CELL_LENGTH}),
]
OutputValue = Annotated[Any, WithJsonSchema({"type": _SCALAR, "maxLength": MAX_TEXT_VALUE})]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DecisionInput(_Strict):
    name: str = Field(pattern=NAME)
    expression: str = Field(
        min_length=1,
        max_length=MAX_EXPRESSION_LENGTH,
        description="over the evaluation context: a dotted path (order.amount) or '{{ jinja expression }}'",
    )
    type: InputType


class DecisionOutput(_Strict):
    name: str = Field(pattern=NAME)
    type: InputType
    values: list[OutputValue] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_VALUES,
        description="the allowed values; with hit policy priority, in priority order (first wins)",
    )


class DecisionRule(_Strict):
    when: dict[str, Cell] = Field(
        default_factory=dict,
        max_length=MAX_INPUTS,
        description="input name -> cell; an input left out matches anything ('-')",
    )
    then: dict[str, OutputValue] = Field(max_length=MAX_OUTPUTS, description="output name -> value")
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)


class DecisionTable(_Strict):
    """One decision: which rules match the inputs read from a context, and what the hit policy makes of
    the matched rules' outputs."""

    name: str = Field(pattern=SLUG)
    version: int = Field(ge=1, le=1_000_000)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    hit_policy: HitPolicy
    aggregation: Aggregation | None = Field(default=None, description="only with hit policy collect")
    complete: bool = Field(default=False, description="true: an input combination no rule covers is an error")
    inputs: list[DecisionInput] = Field(min_length=1, max_length=MAX_INPUTS)
    outputs: list[DecisionOutput] = Field(min_length=1, max_length=MAX_OUTPUTS)
    rules: list[DecisionRule] = Field(min_length=1, max_length=MAX_RULES)
