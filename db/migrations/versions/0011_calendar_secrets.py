"""calendar import URLs encrypted at rest

A calendar import's URL is often a private capability link (Google's or Outlook's "secret address in
iCal format"): whoever holds it reads the calendar. Existing URLs are encrypted with the first key of
``KEEL_SECRETS_KEYS``, read exactly as the application reads it (as migration 0009 does for webhook
secrets). Without the setting, development uses the public development key; production with
plaintext URLs to encrypt stops here and asks for the key (nothing is changed). Downgrade decrypts
them back.

Feed subscription tokens need nothing here: they are HMACs keyed from ``KEEL_JWT_SECRET``, and all
that is stored is a per-feed version number, which grants nothing without that secret.

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from db import sealing
from keel import crypto
from keel.settings import load_settings

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _box() -> crypto.SecretBox:
    return crypto.box(load_settings())


def seal_plaintext(conn: sa.Connection, box: Callable[[], crypto.SecretBox]) -> int:
    """Encrypt every URL still in plaintext; the key is asked for only when there is one."""
    return sealing.seal_column(conn, "calendar_imports", "url", box)


def upgrade() -> None:
    # A Fernet token is about 4/3 of the plaintext plus 73 characters: a 2048-character URL overflows
    # the old String(2048).
    op.alter_column("calendar_imports", "url", type_=sa.Text(), existing_type=sa.String(2048))
    seal_plaintext(op.get_bind(), _box)


def downgrade() -> None:
    conn = op.get_bind()
    sealing.open_column(conn, "calendar_imports", "url", _box)
    op.alter_column("calendar_imports", "url", type_=sa.String(2048), existing_type=sa.Text())
