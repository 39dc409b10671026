"""``keel secrets new-key`` and ``keel secrets rotate``: keys for the secrets stored encrypted.

Rotating the key: put a new key first in ``KEEL_SECRETS_KEYS`` (keep the old one after it), restart
the API and workers, run ``keel secrets rotate`` (every stored secret is re-encrypted under the first
key, in one transaction), then drop the old key from the setting.
"""

from __future__ import annotations

import argparse

from sqlalchemy import Connection, select, update

from keel import crypto
from keel.settings import Settings


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("secrets", help="keys of the secrets stored encrypted").add_subparsers(
        dest="secrets_command", required=True
    )
    group.add_parser("new-key", help="print a new key for KEEL_SECRETS_KEYS").set_defaults(func=cmd_new_key)
    group.add_parser(
        "rotate", help="re-encrypt every stored secret under the first key of KEEL_SECRETS_KEYS"
    ).set_defaults(func=cmd_rotate)


def cmd_new_key(_settings: Settings, _args: argparse.Namespace) -> int:
    print(crypto.new_key())
    return 0


def reseal_all(conn: Connection, box: crypto.SecretBox) -> int:
    """Re-encrypt every sealed value under the box's first key; returns how many were rewritten.

    Runs as the owning role (no row-level security), across tenants. Every table holding a secret
    sealed with ``keel.crypto`` is listed here.
    """
    from api.idempotency import SEALED
    from db.models import CalendarImport, IdempotencyRecord, Webhook

    count = 0
    rows = conn.execute(select(Webhook.id, Webhook.secret, Webhook.previous_secret).with_for_update())
    for row_id, secret, previous in rows.all():
        values = {"secret": box.reseal(secret)}
        if previous:
            values["previous_secret"] = box.reseal(previous)
        conn.execute(update(Webhook).where(Webhook.id == row_id).values(**values))
        count += len(values)
    # Calendar import URLs (private capability links, domain/scheduling/calendars/service.py).
    urls = conn.execute(
        select(CalendarImport.id, CalendarImport.url).where(CalendarImport.url.is_not(None)).with_for_update()
    )
    for row_id, url in urls.all():
        if url:
            conn.execute(
                update(CalendarImport).where(CalendarImport.id == row_id).values(url=box.reseal(url))
            )
            count += 1
    # First responses kept for Idempotency-Key replays (api/idempotency.py), for 24 hours.
    kept = conn.execute(
        select(IdempotencyRecord.tenant_id, IdempotencyRecord.key, IdempotencyRecord.response_body)
        .where(IdempotencyRecord.response_body.has_key(SEALED))
        .with_for_update()
    )
    for tenant_id, key, body in kept.all():
        sealed = {SEALED: box.reseal(body[SEALED])}
        conn.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.key == key)
            .values(response_body=sealed)
        )
        count += 1
    return count


def cmd_rotate(settings: Settings, _args: argparse.Namespace) -> int:
    from db.session import make_engine

    box = crypto.box(settings)
    engine = make_engine(settings.require_admin_url(), pool_size=1)
    try:
        with engine.begin() as conn:
            count = reseal_all(conn, box)
    finally:
        engine.dispose()
    print(f"{count} stored secrets re-encrypted under the first key of KEEL_SECRETS_KEYS")
    return 0
