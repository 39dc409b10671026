"""Folding one tenant's new facts into the rollups of every metric it sees (shipped and its own): the
``analytics-rollups`` housekeeping job, every minute. A tenant where nothing happened costs one short
transaction; otherwise one transaction per metric to fold, so a slow or failing one holds up no other.
After the fold, the tenant's enabled alert rules are evaluated, each in a transaction of its own."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from activities import Deps
from domain.analytics import service as analytics
from domain.analytics.alerts import evaluation as alerts
from domain.errors import DomainError

log = logging.getLogger("keel.analytics")
ALERT_BUDGET_SECONDS = 20.0  # per tenant and round; the rules left over go first in the next round


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
    evaluate_alerts(deps, tenant_id, beat)
    return written


def evaluate_alerts(deps: Deps, tenant_id: uuid.UUID, beat: Callable[..., None]) -> int:
    """How many of the tenant's enabled alert rules were evaluated (least recently evaluated first,
    within ``ALERT_BUDGET_SECONDS``); a rule that fails is logged and the others go on."""
    with deps.unit(tenant_id) as (session, ctx):
        due = alerts.due(session, ctx)
    ends = time.monotonic() + ALERT_BUDGET_SECONDS
    for done, alert_id in enumerate(due):
        if time.monotonic() > ends:
            log.warning(
                "alerts left for the next round", extra={"tenant_id": str(tenant_id), "left": len(due) - done}
            )
            return done
        try:
            with deps.unit(tenant_id) as (session, ctx):
                alerts.evaluate(session, ctx, alert_id)
        except Exception:  # any failure of one rule (a timeout, a fit that breaks) must not stop the rest
            log.exception(
                "alert not evaluated", extra={"tenant_id": str(tenant_id), "alert_id": str(alert_id)}
            )
        beat(str(tenant_id), str(alert_id))
    return len(due)
