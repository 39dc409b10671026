"""The quote link's token: bound to its tenant, quote and last valid day, by a key of its own."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from domain.billing.quotes.tokens import expiry_of, read_token, sign_token
from domain.signing.tokens import read_token as read_signing_token

SECRET = "s" * 48


def test_a_token_reads_back_and_expires_at_the_end_of_its_last_day():
    tenant, quote = uuid.uuid4(), uuid.uuid4()
    token = sign_token(SECRET, tenant, quote, date(2026, 12, 31))
    claims = read_token(SECRET, token)
    assert claims is not None and (claims.tenant_id, claims.quote_id) == (tenant, quote)
    assert claims.expires_at == expiry_of(date(2026, 12, 31)) == datetime(2027, 1, 1, tzinfo=UTC)


def test_an_altered_or_foreign_token_reads_as_nothing():
    token = sign_token(SECRET, uuid.uuid4(), uuid.uuid4(), date(2026, 12, 31))
    for i in range(len(token)):
        altered = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert read_token(SECRET, altered) is None
    assert read_token("another secret", token) is None
    assert read_token(SECRET, token + "A") is None and read_token(SECRET, "") is None
    assert read_signing_token(SECRET, token) is None  # never a signing link
