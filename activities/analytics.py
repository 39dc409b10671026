"""Folding one tenant's new facts into the rollups of every metric it sees (shipped and its own): the
``analytics-rollups`` housekeeping job, every minute. A tenant where nothing happened costs one short
transaction; otherwise one transaction per metric to fold, so a slow or failing one holds up no other."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from activities import Deps
from domain.analytics import service as analytics
from domain.errors import DomainError

log = logging.getLogger("keel.analytics")


def fold_tenant(deps: Deps, tenant_id: uuid.UUID, beat: Callable[..., None]) -> int:
    """The rollup rows written for the tenant; a metric that cannot be folded is logged and skipped."""
    with deps.unit(tenant_id) as (session, ctx):
        names = analytics.stale(session, ctx)
    written = 0
    for name in names:
        try:
            with deps.unit(tenant_id) as (session, ctx):
                written += analytics.fold(session, ctx, name)
        except (DomainError, OperationalError) as exc:  # deleted meanwhile, or out of time
            log.warning(
                "metric not folded", extra={"tenant_id": str(tenant_id), "metric": name, "error": str(exc)}
            )
        beat(str(tenant_id), name)
    return written
