"""The webhook delivery attempt: load what to send, POST it signed, record the answer."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from temporalio import activity

from activities import Deps
from adapters import safe_http
from domain.webhooks import delivery, signing
from domain.webhooks.destinations import allow_list
from domain.webhooks.schemas import AttemptIn, AttemptOut
from keel import crypto
from workflows import contracts


class WebhookActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.WEBHOOKS_ATTEMPT)
    def attempt(self, data: AttemptIn) -> AttemptOut:
        """One POST. HTTP outcomes are results, never errors: only database trouble raises (and retries)."""
        box = crypto.box(self.deps.settings)
        with self.deps.unit(data.tenant_id) as (session, ctx):
            prepared = delivery.prepare(session, ctx, data.delivery_id, box)
        if prepared is None:
            return AttemptOut(outcome="stopped")
        started = datetime.now(UTC)
        headers = signing.headers(prepared.secrets, prepared.msg_id, int(started.timestamp()), prepared.body)
        status: int | None = None
        error: str | None = None
        reply: safe_http.Reply | None = None
        clock = time.monotonic()
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
        exchange = delivery.Exchange(
            started_at=started,
            latency_ms=round((time.monotonic() - clock) * 1000) if reply is not None else None,
            url=prepared.url,
            request_headers={"user-agent": safe_http.USER_AGENT, **headers},
            request_body=prepared.body,
            response_status=status,
            response_headers=dict(reply.headers) if reply is not None else None,
            response_body=reply.body if reply is not None else None,
            error=error,
        )
        with self.deps.unit(data.tenant_id) as (session, ctx):
            outcome = delivery.record_attempt(
                session,
                ctx,
                data.delivery_id,
                status_code=status,
                error=error,
                final=data.final,
                next_delay=data.next_delay,
                exchange=exchange,
            )
        return AttemptOut.model_validate({"outcome": outcome, "status_code": status, "error": error})
