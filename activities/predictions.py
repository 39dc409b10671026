"""Training one tenant's prediction models again: the ``analytics-models`` housekeeping job, every six
hours. Each model in its own transaction, bounded in rows (``domain/analytics/predictions/service.py``)
and fitted on one core; the sweep heartbeats between models."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy.exc import OperationalError

from activities import Deps
from domain.analytics.predictions import service as predictions

log = logging.getLogger("keel.analytics")


def train_tenant(deps: Deps, tenant_id: uuid.UUID, beat: Callable[..., None]) -> int:
    """How many of the tenant's models were trained; one without enough history is left as it is."""
    secret = deps.settings.require_jwt_secret()
    trained = 0
    for kind in predictions.KINDS:
        try:
            with deps.unit(tenant_id) as (session, ctx):
                trained += predictions.train(session, ctx, secret, kind) is not None
        except OperationalError as exc:  # out of time: the next run tries again
            log.warning(
                "model not trained", extra={"tenant_id": str(tenant_id), "kind": kind, "error": str(exc)}
            )
        beat(str(tenant_id), kind)
    return trained
