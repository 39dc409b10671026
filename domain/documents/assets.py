"""The tenant's document assets: images and fonts templates load as ``asset:<name>``.

The type is read from the bytes (a client's claim is ignored); anything that is not one of the
image or font types below is refused. Assets are small and few per tenant, so a template's render
cannot be made to load much through them.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import DocumentAsset
from domain.audit import service as audit
from domain.context import TenantContext
from domain.documents import sniffing
from domain.documents.errors import TooManyAssets
from domain.documents.fetching import ASSET_NAME, Asset, AssetLookup
from domain.errors import Conflict, PayloadTooLarge, ValidationFailed
from domain.pagination import paginate
from domain.queries import get_or_404, live, mine
from domain.unique import add_unique

READ = "document_templates:read"
WRITE = "document_templates:write"
MAX_ASSET_BYTES = 5 * 1024 * 1024
MAX_ASSETS = 200  # live assets per tenant
SVG = "image/svg+xml"
_SVG_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE[^>]*>\s*)?<svg[\s>]", re.S)
_FONTS = (
    (b"wOF2", "font/woff2"),
    (b"wOFF", "font/woff"),
    (b"OTTO", "font/otf"),
    (b"\x00\x01\x00\x00", "font/ttf"),
    (b"true", "font/ttf"),
)
_IMAGES = frozenset({sniffing.PNG, sniffing.JPEG, sniffing.GIF, sniffing.WEBP})


def asset_type(content: bytes) -> str:
    """The asset's media type from its bytes, or a 422 on ``file``."""
    for magic, media_type in _FONTS:
        if content.startswith(magic):
            return media_type
    sniffed = sniffing.sniff_content_type(content)
    if sniffed in _IMAGES:
        return sniffed
    if sniffed == sniffing.TEXT and _SVG_ROOT.match(content[:4096].removeprefix(b"\xef\xbb\xbf")):
        return SVG
    raise ValidationFailed.one(
        "file", "is not an image (PNG, JPEG, GIF, WebP, SVG) or a font (WOFF2, WOFF, TTF, OTF)"
    )


def check_name(name: str | None) -> str:
    if not name or not ASSET_NAME.fullmatch(name):
        raise ValidationFailed.one(
            "name", "is 1-200 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return name


def create_asset(
    session: Session, ctx: TenantContext, store: ObjectStore, *, name: str, content: bytes
) -> DocumentAsset:
    ctx.require(WRITE)
    check_name(name)
    if len(content) > MAX_ASSET_BYTES:
        raise PayloadTooLarge(f"An asset is at most {MAX_ASSET_BYTES} bytes.", MAX_ASSET_BYTES)
    if not content:
        raise ValidationFailed.one("file", "is empty")
    media_type = asset_type(content)
    if _find(session, ctx, name) is not None:
        raise Conflict(f"An asset named {name!r} exists; delete it first.", {"name": name})
    count = session.scalar(select(func.count()).where(*mine(ctx, DocumentAsset)).select_from(DocumentAsset))
    if (count or 0) >= MAX_ASSETS:
        raise TooManyAssets(MAX_ASSETS)
    stored = store.put(ctx.tenant_id, [content], max_bytes=MAX_ASSET_BYTES)
    row = DocumentAsset.new(
        ctx,
        name=name,
        content_type=media_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        created_by=ctx.actor_id,
    )
    # Two saves of one name at the same time: the second is a 409.
    add_unique(
        session, row, lambda _: Conflict(f"An asset named {name!r} exists; delete it first.", {"name": name})
    )
    audit.record(
        session,
        ctx,
        "document_asset.created",
        "document_asset",
        row.id,
        {"name": [None, name], "sha256": [None, row.sha256]},
    )
    return row


def _find(session: Session, ctx: TenantContext, name: str) -> DocumentAsset | None:
    return session.scalar(live(ctx, DocumentAsset).where(DocumentAsset.name == name))


def get_asset(session: Session, ctx: TenantContext, asset_id: uuid.UUID) -> DocumentAsset:
    ctx.require(READ)
    return get_or_404(session, ctx, DocumentAsset, asset_id, "document asset")


def list_assets(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[DocumentAsset], str | None]:
    ctx.require(READ)
    return paginate(session, live(ctx, DocumentAsset), DocumentAsset, limit, cursor)


def delete_asset(session: Session, ctx: TenantContext, asset_id: uuid.UUID) -> DocumentAsset:
    """Soft delete: templates that load it fail to render from now on (and say which asset)."""
    ctx.require(WRITE)
    row = get_or_404(session, ctx, DocumentAsset, asset_id, "document asset", for_update=True)
    row.deleted_at = datetime.now(UTC)
    session.flush()
    audit.record(session, ctx, "document_asset.deleted", "document_asset", row.id, {"name": [row.name, None]})
    return row


def lookup(session: Session, ctx: TenantContext, store: ObjectStore) -> AssetLookup:
    """The fetcher's callback: the caller tenant's live asset of a name, read from the store."""

    def find(name: str) -> Asset | None:
        row = _find(session, ctx, name)
        if row is None:
            return None
        return Asset(b"".join(store.read(ctx.tenant_id, row.storage_key)), row.content_type)

    return find
