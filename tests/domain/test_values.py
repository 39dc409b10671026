"""Value types every building block shares: durations, money, cursors, credentials."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import TypeAdapter, ValidationError

from domain import cursors
from domain.definitions.errors import DefinitionInvalid
from domain.definitions.parser import parse
from domain.durations import format_duration, parse_duration
from domain.errors import Unauthenticated, ValidationFailed
from domain.identity import secrets
from domain.instants import BoundedDatetime, Instant
from domain.money import Money
from domain.pagination import clamp_limit, decode_cursor, encode_cursor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT4H", timedelta(hours=4)),
        ("P2D", timedelta(days=2)),
        ("P1DT12H", timedelta(days=1, hours=12)),
        ("PT90M", timedelta(minutes=90)),
        ("P1W", timedelta(weeks=1)),
        ("PT0.5S", timedelta(seconds=0.5)),
    ],
)
def test_iso_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["P1M", "P1Y", "2 days", "P", "PT", "PT0S", "-P1D", "P99999D", "", "P1DT"])
def test_bad_durations_are_refused(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_durations_round_trip():
    for text in ("P2D", "PT4H", "P1DT2H30M", "PT45S"):
        assert format_duration(parse_duration(text)) == text


def test_money_minor_units_and_precision():
    assert Money(value="1200.00", currency="EUR").minor_units == 120000
    assert Money(value="500", currency="JPY").minor_units == 500
    assert Money(value="1.234", currency="BHD").minor_units == 1234
    for bad in (
        {"value": "1.001", "currency": "EUR"},
        {"value": "1", "currency": "JPY"} | {"value": "1.5"},
        {"value": "abc", "currency": "EUR"},
        {"value": "1", "currency": "XXXX"},
        {"value": 12, "currency": "EUR"},
        {"value": "NaN", "currency": "EUR"},
    ):
        with pytest.raises(ValidationError):
            Money(**bad)


def test_cursor_and_limit_validation():
    assert clamp_limit(None) == 50 and clamp_limit(500) == 200
    with pytest.raises(ValidationFailed):
        clamp_limit(0)
    with pytest.raises(ValidationFailed):
        decode_cursor("not-a-cursor")


def test_cursors_are_signed_per_list_and_key():
    when, ident = datetime(2026, 1, 2, 3, 4, tzinfo=UTC), uuid.uuid4()
    issued = encode_cursor([when, ident], "users")
    assert decode_cursor(issued, "users") == (when, ident)
    raw = bytearray(base64.urlsafe_b64decode(issued + "=" * (-len(issued) % 4)))
    for position in (0, 5, len(raw) - 1):
        altered = raw.copy()
        altered[position] ^= 1
        forged = base64.urlsafe_b64encode(bytes(altered)).decode().rstrip("=")
        with pytest.raises(ValidationFailed):
            decode_cursor(forged, "users")
    for bad in ("", "=", "A", issued[:-2], issued + "AA", "é" * 8, "A" * 5000):
        with pytest.raises(ValidationFailed):
            decode_cursor(bad, "users")
    with pytest.raises(ValidationFailed):
        decode_cursor(issued, "roles")  # another list's cursor
    # Processes sharing a secret accept each other's cursors; another secret refuses them.
    cursors.configure("s" * 40)
    shared = cursors.seal("processes", b"token")
    cursors.configure("s" * 40)
    assert cursors.unseal("processes", shared) == b"token"
    cursors.configure("t" * 40)
    with pytest.raises(ValidationFailed):
        cursors.unseal("processes", shared)


def test_api_keys_and_tokens():
    key = secrets.mint_api_key()
    assert key.plaintext.startswith("keel_") and secrets.api_key_prefix(key.plaintext) == key.prefix
    assert secrets.api_key_matches(key.plaintext, key.key_hash)
    assert not secrets.api_key_matches(key.plaintext + "x", key.key_hash)
    with pytest.raises(Unauthenticated):
        secrets.api_key_prefix("keel_nounderscore")
    tid, uid = uuid.uuid4(), uuid.uuid4()
    token = secrets.issue_token("s" * 40, user_id=uid, tenant_id=tid, ttl_seconds=60)
    assert secrets.decode_token("s" * 40, token.token) == (tid, uid)
    with pytest.raises(Unauthenticated):
        secrets.decode_token("t" * 40, token.token)
    with pytest.raises(Unauthenticated, match="expired"):
        secrets.decode_token(
            "s" * 40, secrets.issue_token("s" * 40, user_id=uid, tenant_id=tid, ttl_seconds=-1).token
        )
    assert secrets.verify_password(secrets.hash_password("pw-1234567"), "pw-1234567")
    assert not secrets.verify_password(secrets.hash_password("pw-1234567"), "pw-1234568")


@pytest.mark.parametrize(
    "text",
    [
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "0062-01-05T12:25:34-20:31",
        "1142-07-04T21:27:03+16:00",
        "0260-01-01T00:00:00Z",
        "1899-12-31T23:59:59Z",
        "2200-01-01T00:00:00Z",
        "1900-01-01T00:30:00+01:00",
        "2199-12-31T23:30:00-01:00",
    ],
)
def test_instants_outside_the_bounds_are_refused(text):
    with pytest.raises(ValidationError, match="must lie between 1900"):
        TypeAdapter(Instant).validate_python(text)
    with pytest.raises(ValidationError, match="must lie between 1900"):
        TypeAdapter(BoundedDatetime).validate_python(text.removesuffix("Z"))


def test_instants_inside_the_bounds_keep_their_offset():
    value = TypeAdapter(Instant).validate_python("1900-01-01T00:30:00-01:00")
    assert value.utcoffset() == timedelta(hours=-1)
    assert TypeAdapter(Instant).validate_python("2199-12-31T23:59:59Z").year == 2199
    assert TypeAdapter(BoundedDatetime).validate_python("2026-03-30T09:00:00").tzinfo is None
    with pytest.raises(ValidationError):
        TypeAdapter(Instant).validate_python("2026-03-30T09:00:00")  # Instant needs an offset


@pytest.mark.parametrize("until", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+01:00"])
def test_definition_instants_are_bounded_too(until):
    source = f"name: p\nversion: 1\nsteps:\n  - {{id: w, type: wait, until: '{until}'}}\n"
    with pytest.raises(DefinitionInvalid) as caught:
        parse(source, known_activities=set(), known_definitions=lambda n, v: False)
    (field,) = caught.value.details["fields"]
    assert field["field"] == "/steps/0/until" and "must lie between 1900" in field["message"]
    parse(
        source.replace(until, "2199-12-31T23:59:59Z"),
        known_activities=set(),
        known_definitions=lambda n, v: False,
    )
