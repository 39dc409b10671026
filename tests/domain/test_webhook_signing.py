"""Standard Webhooks signatures: what a receiver accepts and what it refuses."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from domain.webhooks import signing
from domain.webhooks.errors import SignatureInvalid

BODY = b'{"type":"task.completed","timestamp":"2026-01-31T12:00:00Z","data":{"id":"e1"}}'


@pytest.fixture
def secret() -> str:
    return signing.new_secret()


def signed(secret: str, body: bytes = BODY, stamp: int | None = None) -> dict[str, str]:
    return signing.headers(secret, "msg_abc", int(time.time()) if stamp is None else stamp, body)


def test_secret_format_and_signature_match_the_specification(secret):
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 24
    assert signing.new_secret() != secret
    # Recomputed by hand, exactly as the spec describes it.
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(
        hmac.new(key, b"msg_abc.1700000000." + BODY, hashlib.sha256).digest()
    ).decode()
    assert signing.sign(secret, "msg_abc", 1700000000, BODY) == f"v1,{expected}"
    headers = signed(secret, stamp=1700000000)
    assert headers["webhook-id"] == "msg_abc" and headers["webhook-timestamp"] == "1700000000"
    assert headers["webhook-signature"] == f"v1,{expected}"


def test_a_valid_delivery_verifies_with_any_header_case(secret):
    headers = signed(secret)
    signing.verify(secret, headers, BODY)
    signing.verify(secret, {k.title(): v for k, v in headers.items()}, BODY)


def test_a_tampered_body_is_refused(secret):
    with pytest.raises(SignatureInvalid, match="no matching signature"):
        signing.verify(secret, signed(secret), BODY.replace(b"e1", b"e2"))


def test_a_tampered_id_or_timestamp_is_refused(secret):
    headers = signed(secret)
    with pytest.raises(SignatureInvalid):
        signing.verify(secret, headers | {"webhook-id": "msg_other"}, BODY)
    with pytest.raises(SignatureInvalid):
        signing.verify(
            secret, headers | {"webhook-timestamp": str(int(headers["webhook-timestamp"]) - 1)}, BODY
        )


def test_another_secret_does_not_verify(secret):
    with pytest.raises(SignatureInvalid, match="no matching signature"):
        signing.verify(signing.new_secret(), signed(secret), BODY)


def test_an_old_delivery_cannot_be_replayed(secret):
    now = time.time()
    old = signed(secret, stamp=int(now) - 301)
    with pytest.raises(SignatureInvalid, match="too old"):
        signing.verify(secret, old, BODY, now=now)
    signing.verify(secret, signed(secret, stamp=int(now) - 299), BODY, now=now)  # inside the tolerance


def test_a_timestamp_from_the_future_is_refused(secret):
    now = time.time()
    with pytest.raises(SignatureInvalid, match="future"):
        signing.verify(secret, signed(secret, stamp=int(now) + 301), BODY, now=now)


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_refused(secret, missing):
    headers = {k: v for k, v in signed(secret).items() if k != missing}
    with pytest.raises(SignatureInvalid, match="missing"):
        signing.verify(secret, headers, BODY)


def test_a_timestamp_that_is_not_a_number_is_refused(secret):
    with pytest.raises(SignatureInvalid, match="number"):
        signing.verify(secret, signed(secret) | {"webhook-timestamp": "yesterday"}, BODY)


def test_one_valid_signature_among_several_is_enough(secret):
    headers = signed(secret)
    rotated = signing.sign(signing.new_secret(), "msg_abc", int(headers["webhook-timestamp"]), BODY)
    both = headers | {"webhook-signature": f"{rotated} v2,abc {headers['webhook-signature']}"}
    signing.verify(secret, both, BODY)
    with pytest.raises(SignatureInvalid):
        signing.verify(secret, headers | {"webhook-signature": f"{rotated} v1,bm9wZQ=="}, BODY)


def test_only_v1_signatures_count(secret):
    headers = signed(secret)
    value = headers["webhook-signature"].removeprefix("v1,")
    with pytest.raises(SignatureInvalid):
        signing.verify(secret, headers | {"webhook-signature": f"v2,{value}"}, BODY)


def test_the_message_id_is_stable_per_delivery():
    import uuid

    delivery = uuid.uuid4()
    assert signing.message_id(delivery) == signing.message_id(delivery) == f"msg_{delivery.hex}"
