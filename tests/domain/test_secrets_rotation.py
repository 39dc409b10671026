"""``keel secrets rotate``: every stored secret re-encrypted under the first key, old keys then unneeded."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from cli.main import build_parser
from cli.secrets import reseal_all
from keel import crypto


def test_rotation_reseals_current_and_previous_secrets(admin_engine, tenant):
    old, new = crypto.new_key(), crypto.new_key()
    before = crypto.SecretBox((old,))
    hook_id = uuid.uuid4()
    with admin_engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.execute(
                text(
                    "INSERT INTO webhooks (id, tenant_id, url, events, secret, previous_secret, active) "
                    "VALUES (:id, :t, 'https://93.184.216.34/', CAST('[]' AS jsonb), :s, :p, true)"
                ),
                {"id": hook_id, "t": tenant.id, "s": before.seal("whsec_cur"), "p": before.seal("whsec_old")},
            )
            conn.execute(
                text(
                    "INSERT INTO idempotency_records (tenant_id, key, request_hash, status_code, response_body) "
                    "VALUES (:t, 'rot-1', 'x', 201, CAST(:b AS jsonb))"
                ),
                {"t": tenant.id, "b": json.dumps({"keel_sealed": before.seal('{"secret": "whsec_x"}')})},
            )
            # Rows of other tests are under the development key: it stays in the list to read them.
            rotated = crypto.SecretBox((new, old, crypto.DEVELOPMENT_KEY))
            assert reseal_all(conn, rotated) >= 2
            secret, previous = conn.execute(
                text("SELECT secret, previous_secret FROM webhooks WHERE id = :id"), {"id": hook_id}
            ).one()
            only_new = crypto.SecretBox((new,))
            assert (only_new.open(secret), only_new.open(previous)) == ("whsec_cur", "whsec_old")
            with pytest.raises(ValueError):
                before.open(secret)
            body = conn.execute(
                text("SELECT response_body FROM idempotency_records WHERE tenant_id = :t AND key = 'rot-1'"),
                {"t": tenant.id},
            ).scalar_one()
            assert only_new.open(body["keel_sealed"]) == '{"secret": "whsec_x"}'
        finally:
            trans.rollback()


def test_the_commands_are_wired(capsys):
    args = build_parser().parse_args(["secrets", "new-key"])
    assert args.func(None, args) == 0
    key = capsys.readouterr().out.strip()
    crypto.SecretBox((key,))  # a valid Fernet key
    assert build_parser().parse_args(["secrets", "rotate"]).func.__name__ == "cmd_rotate"
