"""Tokens and cursors are read in the one spelling Keel issued: no other text decodes to their bytes."""

from __future__ import annotations

import secrets
import string
import uuid

import pytest

from domain import urlsafe
from domain.billing.invoices import pay_page

ALPHABET = string.ascii_letters + string.digits + "-_"


@pytest.mark.parametrize("size", range(0, 40))
def test_what_is_encoded_decodes_back(size: int) -> None:
    raw = secrets.token_bytes(size)
    assert urlsafe.decode(urlsafe.encode(raw)) == raw


@pytest.mark.parametrize("size", [31, 32, 52, 76])
def test_every_other_last_character_is_refused(size: int) -> None:
    """The last character of an unpadded encoding carries unused bits: only one value of them is read."""
    raw = secrets.token_bytes(size)
    text = urlsafe.encode(raw)
    for other in ALPHABET.replace(text[-1], ""):
        assert urlsafe.decode(text[:-1] + other) != raw


@pytest.mark.parametrize("text", ["abc=", "ab cd", "a", "ab+/", "é", "ab\x00c", "====", "abcd\n"])
def test_padding_stray_and_foreign_characters_are_refused(text: str) -> None:
    assert urlsafe.decode(text) is None


def test_an_invoice_link_altered_in_its_last_character_names_nothing() -> None:
    """The 70-character payment link holds 52 bytes: its last character has four unused bits."""
    secret = "s" * 32
    tenant, invoice = (secrets.token_bytes(16) for _ in range(2))
    token = pay_page.sign_token(secret, uuid.UUID(bytes=tenant), uuid.UUID(bytes=invoice))
    assert pay_page.read_token(secret, token) == (uuid.UUID(bytes=tenant), uuid.UUID(bytes=invoice))
    for other in ALPHABET.replace(token[-1], ""):
        assert pay_page.read_token(secret, token[:-1] + other) is None
