"""Migration 0009 encrypts the signing secrets stored in plaintext before it, with the app's key."""

from __future__ import annotations

import importlib.util
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from keel import crypto

MIGRATION = (
    Path(__file__).parents[2] / "db" / "migrations" / "versions" / "0009_webhook_secrets_at_rest_attempts.py"
)


def migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plaintext_secrets_are_sealed_once_and_read_back(admin_engine, tenant):
    box = crypto.SecretBox((crypto.new_key(),))
    hook_id, secret = uuid.uuid4(), "whsec_" + "A" * 32
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(
                text(
                    "INSERT INTO webhooks (id, tenant_id, url, events, secret, active) "
                    "VALUES (:id, :t, 'https://93.184.216.34/', CAST(:ev AS jsonb), :s, true)"
                ),
                {"id": hook_id, "t": tenant.id, "s": secret, "ev": "[]"},
            )
            sealed = migration().seal_plaintext(conn, lambda: box)
            assert sealed >= 1
            raw = conn.execute(
                text("SELECT secret FROM webhooks WHERE id = :id"), {"id": hook_id}
            ).scalar_one()
            assert raw != secret and secret not in raw and box.open(raw) == secret
            # Running again changes nothing (already sealed), and needs no key.
            assert migration().seal_plaintext(conn, lambda: pytest.fail("no key needed")) == 0
        finally:
            trans.rollback()


def test_production_without_a_key_stops_before_changing_anything(admin_engine, tenant, settings):
    production = settings.model_copy(update={"environment": "production", "secrets_keys": None})
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(
                text(
                    "INSERT INTO webhooks (id, tenant_id, url, events, secret, active) "
                    "VALUES (:id, :t, 'https://93.184.216.34/', CAST(:ev AS jsonb), 'whsec_plain', true)"
                ),
                {"id": uuid.uuid4(), "t": tenant.id, "ev": "[]"},
            )
            with pytest.raises(crypto.SecretsKeyMissing):
                migration().seal_plaintext(conn, lambda: crypto.box(production))
        finally:
            trans.rollback()
