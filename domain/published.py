"""Published versions that never change (process definitions, analytics metrics): one row per (tenant,
name, version) holding the canonical content and its sha256. Publishing the same content again changes
nothing; other content under a published version is a 409: publish a new version instead."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session

from db.base import PublishedVersion
from domain.audit import service as audit
from domain.context import TenantContext
from domain.definitions.yaml_source import Parsed
from domain.errors import Conflict
from domain.queries import live

T = TypeVar("T", bound=PublishedVersion)


def publish_version(
    session: Session,
    ctx: TenantContext,
    model: type[T],
    parsed: Parsed,
    what: str,
    name: str,
    version: int,
    **fields: Any,
) -> tuple[T, bool]:
    """The tenant's row of ``name`` version ``version`` (``model``), stored and audited as
    ``<what>.published`` unless it already was; and whether it is new."""
    existing = session.scalar(live(ctx, model).filter_by(name=name, version=version))
    if existing is not None and existing.sha256 != parsed.sha256:
        message = f"{name} version {version} is published with other content; publish a new version."
        raise Conflict(message, {"sha256": existing.sha256})
    if existing is not None:
        return existing, False
    held = {"sha256": parsed.sha256, "source": parsed.source, "document": parsed.data}
    row = cast(Any, model)(  # a mapped class: its columns are keywords
        tenant_id=ctx.tenant_id, published_by=ctx.user_id, name=name, version=version, **held, **fields
    )
    session.add(row)
    session.flush()
    changes = {"name": [None, name], "version": [None, version], "sha256": [None, parsed.sha256]}
    audit.record(session, ctx, f"{what}.published", what, row.id, changes)
    return cast(T, row), True
