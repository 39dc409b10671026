"""Billable metrics and usage events: what the API accepts and returns.

Everything a single event can get wrong on its own (shape, lengths, types, an offset on its time) is
checked here by pydantic's compiled validators, so a batch of a thousand costs little; what needs the
database or the batch as a whole (known metric and customer, the time window, duplicates) is checked
in ``ingest.py``.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from db.models.usage import BillableMetric

Aggregation = Literal["count", "sum", "max", "unique_count", "latest"]
NEEDS_FIELD = frozenset({"sum", "max", "unique_count", "latest"})
NUMERIC_FIELD = frozenset({"sum", "max", "latest"})  # aggregated as numbers: the field must be one
MAX_EVENTS = 1000
MAX_PROPERTIES = 50
MAX_TEXT = 255
MAX_NUMBER = 10**21  # larger magnitudes are refused: a quantity, not an identifier
# The text of a number as both the API and SQL (``aggregate.py``) accept it; jsonb prints no exponent.
NUMBER_TEXT = r"^-?[0-9]{1,22}(\.[0-9]{1,12})?$"
_NUMBER_TEXT = re.compile(NUMBER_TEXT)

MetricCode = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_]{1,64}$")]
# A property key: any printable text without control characters, as most event sources name them.
PropertyKey = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
FilterValue = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
TransactionId = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$")
]


class MetricIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: MetricCode = Field(description="unique per tenant among live metrics; what events name")
    name: str = Field(min_length=1, max_length=200)
    aggregation: Aggregation
    field: PropertyKey | None = Field(
        default=None, description="the property aggregated; required except for count, where it is refused"
    )
    filters: dict[PropertyKey, Annotated[list[FilterValue], Field(min_length=1, max_length=50)]] = Field(
        default_factory=dict,
        max_length=10,
        description='only events whose property is one of the values count, e.g. {"region": ["eu"]}',
    )


class MetricOut(BaseModel):
    id: uuid.UUID
    code: str
    name: str
    aggregation: Aggregation
    field: str | None
    filters: dict[str, list[str]]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


def metric_out(metric: BillableMetric) -> dict[str, Any]:
    return {
        "id": str(metric.id),
        "code": metric.code,
        "name": metric.name,
        "aggregation": metric.aggregation,
        "field": metric.field,
        "filters": metric.filters,
        "created_at": metric.created_at.isoformat(),
        "updated_at": metric.updated_at.isoformat(),
        "deleted_at": metric.deleted_at.isoformat() if metric.deleted_at else None,
    }


def is_number(value: Any) -> bool:
    """A JSON number (not a boolean) or the text of one, as aggregations can read it."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _NUMBER_TEXT.match(value) is not None


def _check_value(key: str, value: Any) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"property '{key}' is longer than {MAX_TEXT} characters")
        return
    if isinstance(value, int):
        if abs(value) >= MAX_NUMBER:
            raise ValueError(f"property '{key}' is out of range (at most 10^21 in magnitude)")
        return
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= MAX_NUMBER:
            raise ValueError(f"property '{key}' is out of range (at most 10^21 in magnitude)")
        return
    raise ValueError(f"property '{key}' must be a string, number, boolean or null (properties are flat)")


def _rfc3339_text(value: Any) -> Any:
    if not isinstance(value, str | datetime):  # pydantic would read a number as Unix seconds
        raise ValueError("must be an RFC 3339 date-time with an offset, e.g. 2026-03-01T12:00:00Z")
    return value


class UsageEventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transaction_id: TransactionId = Field(
        description="your id of the event, 1-255 printable characters: an event is stored once per id"
    )
    customer: uuid.UUID | None = Field(
        default=None, description="required unless `subscription` is given (then it is the subscription's)"
    )
    subscription: uuid.UUID | None = Field(
        default=None,
        description="a subscription of this tenant, of the event's customer: billed on its period",
    )
    metric: MetricCode
    timestamp: Annotated[AwareDatetime, BeforeValidator(_rfc3339_text)] = Field(
        description="when it happened, RFC 3339 with an offset"
    )
    properties: dict[PropertyKey, Any] = Field(default_factory=dict, max_length=MAX_PROPERTIES)

    @field_validator("properties")
    @classmethod
    def _flat(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key, item in value.items():
            _check_value(key, item)
        return value


class UsageBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[UsageEventIn] = Field(min_length=1, max_length=MAX_EVENTS)


class UsageBatchOut(BaseModel):
    accepted: int = Field(description="events stored by this request")
    duplicates: int = Field(description="events whose transaction id was already stored: ignored")


class UsageEventOut(BaseModel):
    transaction_id: str
    customer: uuid.UUID
    subscription: uuid.UUID | None
    metric: str
    timestamp: datetime
    properties: dict[str, Any]
    received_at: datetime = Field(description="when Keel stored it")


class UsageOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    metric: str
    customer: uuid.UUID
    subscription: uuid.UUID | None
    aggregation: Aggregation
    from_: datetime = Field(alias="from")
    to: datetime
    value: str = Field(description='the aggregated quantity as a decimal string, "0" when no event counts')


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text, never in exponent form ("1E+3" is "1000")."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
