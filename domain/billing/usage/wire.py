"""Reading a usage batch at volume: the raw body straight to plain dicts in one pass of pydantic's
compiled validator, with no Python callback per event.

``UsageBatchIn`` (``schemas.py``) stays the contract and names every fault; it checks an event's time
and properties with Python validators, which cost more than the rest of the parse for a thousand
events. ``EventIn`` states the same rules with compiled constraints only: strict scalar types for the
properties' values (flat, finite, bounded, short texts) and a strict RFC 3339 text for the time (a
number is not read as Unix seconds). It accepts no more than ``UsageBatchIn`` and reads what both
accept to the same values; a body it refuses is read again by ``UsageBatchIn``, which names the fault
(or accepts the rare form only it reads).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, NotRequired, cast, get_args

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict

from domain.billing.usage.schemas import (
    MAX_EVENTS,
    MAX_NUMBER,
    MAX_PROPERTIES,
    MAX_TEXT,
    MetricCode,
    PropertyKey,
    TransactionId,
    UsageBatchIn,
)

# A property's value as ``UsageEventIn`` allows it; strict, so that each JSON scalar keeps its type.
PropertyValue = (
    None
    | Annotated[bool, Strict()]
    | Annotated[int, Strict(), Field(gt=-MAX_NUMBER, lt=MAX_NUMBER)]
    | Annotated[float, Strict(), Field(gt=-MAX_NUMBER, lt=MAX_NUMBER, allow_inf_nan=False)]
    | Annotated[str, Strict(), StringConstraints(max_length=MAX_TEXT)]
)


def _rule_of(text_type: Any) -> tuple[StringConstraints, re.Pattern[str]]:
    """The constraints of a text type of ``schemas.py``, with its pattern compiled."""
    rule = next(arg for arg in get_args(text_type) if isinstance(arg, StringConstraints))
    return rule, re.compile(str(rule.pattern))


# The patterns of transaction ids and metric codes are matched once per batch, not once per event: all
# the transaction ids at once (a text of allowed characters is one, joined or not), each distinct
# metric code once (a batch names few).
_ID, _ID_PATTERN = _rule_of(TransactionId)
_CODE_PATTERN = _rule_of(MetricCode)[1]
# Customer and subscription ids stay text, in the one form PostgreSQL writes them: no ``uuid.UUID`` per
# event to build, hash and write back (nor for the garbage collector to track). Any other form of a
# UUID is read by ``UsageBatchIn`` and written back in this one.
# Each is 36 characters long, so that the ids of a batch, joined, are matched one by one.
_IdText = Annotated[str, StringConstraints(min_length=36, max_length=36)]
_CANONICAL_IDS = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*")


@with_config(ConfigDict(extra="forbid"))
class EventIn(TypedDict):
    """One event, checked on its own but for the patterns of its transaction id, metric and ids (see
    ``read_events``). ``customer`` and ``subscription`` may be absent (None), ``properties`` too."""

    transaction_id: Annotated[str, StringConstraints(min_length=_ID.min_length, max_length=_ID.max_length)]
    customer: NotRequired[_IdText | None]
    subscription: NotRequired[_IdText | None]
    metric: str
    timestamp: Annotated[AwareDatetime, Strict()]
    properties: NotRequired[Annotated[dict[PropertyKey, PropertyValue], Field(max_length=MAX_PROPERTIES)]]


@with_config(ConfigDict(extra="forbid"))
class _BatchIn(TypedDict):
    events: Annotated[list[EventIn], Field(min_length=1, max_length=MAX_EVENTS)]


_READER: TypeAdapter[_BatchIn] = TypeAdapter(_BatchIn)


def read_events(body: bytes) -> list[EventIn]:
    """The batch's events; a ``ValidationError`` of ``UsageBatchIn`` (the contract's names and
    messages) when any part of the body is wrong."""
    try:
        events = _READER.validate_json(body)["events"]
    except ValidationError:
        events = []
    if events and _names_ok(events):
        return events
    return events_of(UsageBatchIn.model_validate_json(body))


def _names_ok(events: list[EventIn]) -> bool:
    if _ID_PATTERN.fullmatch("".join([e["transaction_id"] for e in events])) is None:
        return False
    if not all(_CODE_PATTERN.fullmatch(code) for code in {e["metric"] for e in events}):
        return False
    ids = [i for e in events for i in (e.get("customer"), e.get("subscription")) if i is not None]
    return _CANONICAL_IDS.fullmatch("".join(ids)) is not None


def events_of(batch: UsageBatchIn) -> list[EventIn]:
    """A batch already read as the model, as the same dicts."""
    events: list[dict[str, Any]] = batch.model_dump()["events"]
    for event in events:
        for key in ("customer", "subscription"):
            if event[key] is not None:
                event[key] = str(event[key])
    return cast(list[EventIn], events)
