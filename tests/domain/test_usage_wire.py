"""The fast reading of a usage batch (``wire.read_events``) against the contract's model: whatever body
it is given, it reads the same events as ``UsageBatchIn`` or refuses with the same errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from domain.billing.usage.schemas import UsageBatchIn
from domain.billing.usage.wire import events_of, read_events

CUSTOMER = "5f0c6f7e-9a52-4a8e-9e1c-2a4d9a3b6c10"
EDGES: list[Any] = [
    0,
    -1,
    1.0,
    -0.0,
    1.5e-300,
    10**21 - 1,
    10**21,
    -(10**21),
    1e21,
    9.99e20,
    2**70,
    1e300,
    True,
    False,
    None,
    "",
    "x" * 255,
    "x" * 256,
    "é" * 255,
    "12.5",
    [],
    [1],
    {},
    {"a": 1},
]
TIMES: list[Any] = [
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00.123456789+01:00",
    "2026-03-01 12:00:00-05:30",
    "2026-03-01T12:00:00",
    "2026-03-01",
    "1700000000",
    "1700000000.5",
    1700000000,
    1.5,
    True,
    None,
    "",
    "not a time",
]
NAMES: list[Any] = [
    "a",
    "é ü",
    "😀",
    "a\n",
    "a\x00",
    "a\x1f",
    "a\x7f",
    "a\x9f",
    "a\xa0",
    "x" * 255,
    "x" * 256,
    "",
    1,
]
CODES: list[Any] = ["calls", "a" * 64, "a" * 65, "A", "a-b", "a\n", "", "é", None]
IDS: list[Any] = [
    CUSTOMER,
    CUSTOMER.replace("-", ""),
    CUSTOMER.upper(),
    "{" + CUSTOMER + "}",
    "urn:uuid:" + CUSTOMER,
    CUSTOMER + "-",
    CUSTOMER[:-1] + "g",
    "x" * 36,
    "00000000-0000-0000-0000-000000000000",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "12345678-1234-1234-1234-123456789abc",
    "x",
    1,
    None,
]


def outcome(body: bytes) -> Any:
    """The events the contract's model reads, or the errors it gives."""
    try:
        return events_of(UsageBatchIn.model_validate_json(body))
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False, include_input=False)


def read(body: bytes) -> Any:
    """The same, by the fast reader; an absent field is the model's default."""
    try:
        return [{"customer": None, "subscription": None, "properties": {}} | e for e in read_events(body)]
    except ValidationError as exc:
        return exc.errors(include_url=False, include_context=False, include_input=False)


def event(**fields: Any) -> dict[str, Any]:
    return {
        "transaction_id": "t1",
        "customer": CUSTOMER,
        "metric": "calls",
        "timestamp": "2026-03-01T12:00:00Z",
        "properties": {"n": 1},
    } | fields


def same(body: Any) -> None:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    expected, got = outcome(raw), read(raw)
    assert got == expected
    if isinstance(expected, list) and expected and "loc" not in expected[0]:
        # Equal values of another type would pass ``==`` (1 == 1.0 == True): compare the types too.
        assert [type(v) for e in got for v in e.get("properties", {}).values()] == [
            type(v) for e in expected for v in e.get("properties", {}).values()
        ]


@pytest.mark.parametrize("value", EDGES)
def test_a_property_value_reads_the_same(value: Any) -> None:
    same({"events": [event(properties={"v": value})]})


@pytest.mark.parametrize("value", TIMES)
def test_a_timestamp_reads_the_same(value: Any) -> None:
    same({"events": [event(timestamp=value)]})


@pytest.mark.parametrize("value", NAMES)
def test_a_transaction_id_reads_the_same(value: Any) -> None:
    same({"events": [event(transaction_id=value)]})
    same({"events": [event(transaction_id="first"), event(transaction_id=value)]})


@pytest.mark.parametrize("value", CODES)
def test_a_metric_code_reads_the_same(value: Any) -> None:
    same({"events": [event(metric=value)]})
    same({"events": [event(), event(transaction_id="t2", metric=value)]})


@pytest.mark.parametrize("value", IDS)
def test_customer_and_subscription_read_the_same(value: Any) -> None:
    same({"events": [event(customer=value)]})
    same({"events": [event(subscription=value)]})


def test_ids_are_matched_one_by_one() -> None:
    """Two ids that are not UUIDs, whose text joined is two UUIDs'."""
    first, second = CUSTOMER + CUSTOMER[:8], CUSTOMER[8:]
    same({"events": [event(customer=first), event(transaction_id="t2", customer=second)]})


@pytest.mark.parametrize(
    "body",
    [
        {"events": []},
        {"events": [event()] * 1001},
        {"events": [event(extra=1)]},
        {"events": [event(properties=None)]},
        {"events": [event(customer=None, subscription=None)]},
        {"events": [event(properties={f"k{i}": i for i in range(51)})]},
        {"events": [event(properties={"": 1})]},
        {"events": [event(properties={"a\x01": 1})]},
        {"events": [event(transaction_id="")]},
        {"events": [event(transaction_id="a\x7f")]},
        {"events": [event(metric="Not-A-Code")]},
        {"events": [{"transaction_id": "t", "metric": "calls", "timestamp": "2026-03-01T12:00:00Z"}]},
        {"events": [event(), event(transaction_id="t2", properties={"n": [1]})]},
        {"events": "no"},
        {"other": 1},
        [],
    ],
)
def test_a_batch_reads_the_same(body: Any) -> None:
    same(body)


@pytest.mark.parametrize(
    "body", [b"", b"{", b'{"events": [}', b"NaN", b'{"events": [{"properties": {"a": NaN}}]}']
)
def test_malformed_json_is_refused_the_same(body: bytes) -> None:
    same(body)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300)
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=70), SCALARS | st.lists(SCALARS, max_size=2), max_size=55))
def test_any_properties_read_the_same(properties: dict[str, Any]) -> None:
    same({"events": [event(properties=properties)]})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=260), min_size=1, max_size=3), st.text(max_size=70))
def test_any_transaction_ids_and_metric_read_the_same(ids: list[str], metric: str) -> None:
    same({"events": [event(transaction_id=tx, metric=metric) for tx in ids]})
    same({"events": [event(transaction_id=f"{tx}-{i}") for i, tx in enumerate(ids)]})
