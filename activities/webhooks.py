"""The webhook delivery attempt: load what to send, POST it signed, record the answer."""

from __future__ import annotations

import time
import uuid

from temporalio import activity

from activities import Deps
from adapters import safe_http
from db.session import tenant_session
from domain.context import TenantContext
from domain.webhooks import delivery, signing
from domain.webhooks.destinations import allow_list
from domain.webhooks.schemas import AttemptIn, AttemptOut


def _ctx(tenant_id: uuid.UUID) -> TenantContext:
    return TenantContext.system(tenant_id, correlation_id=activity.info().workflow_id)


class WebhookActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name="webhooks.attempt")
    def attempt(self, data: AttemptIn) -> AttemptOut:
        """One POST. HTTP outcomes are results, never errors: only database trouble raises (and retries)."""
        engine, ctx = self.deps.engine, _ctx(data.tenant_id)
        with tenant_session(engine, data.tenant_id) as session:
            prepared = delivery.prepare(session, ctx, data.delivery_id)
        if prepared is None:
            return AttemptOut(outcome="stopped")
        stamp = int(time.time())
        headers = signing.headers(prepared.secret, prepared.msg_id, stamp, prepared.body)
        status: int | None = None
        error: str | None = None
        try:
            reply = safe_http.post(
                prepared.url,
                content=prepared.body,
                headers=headers,
                timeout=data.timeout,
                allow=allow_list(self.deps.settings.webhook_allow_private),
            )
            status = reply.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}: {reply.body[:200].decode('utf-8', 'replace')}".strip()
        except safe_http.Refused as exc:
            error = f"refused: {exc}"
        except safe_http.RequestFailed as exc:
            error = str(exc)
        with tenant_session(engine, data.tenant_id) as session:
            outcome = delivery.record_attempt(
                session,
                ctx,
                data.delivery_id,
                status_code=status,
                error=error,
                final=data.final,
                next_delay=data.next_delay,
            )
        return AttemptOut.model_validate({"outcome": outcome, "status_code": status, "error": error})
