"""Activities of the subscription workflow: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from temporalio import activity

from activities import Deps
from domain.billing.subscriptions import process
from domain.billing.subscriptions.schemas import Advance, Advanced
from domain.errors import NotFound
from workflows import contracts

FINAL = (NotFound,)  # a subscription that no longer exists is a fact no retry can change


class SubscriptionActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.SUBSCRIPTIONS_ADVANCE)
    def advance(self, ask: Advance) -> Advanced:
        with self.deps.unit(ask.tenant_id, final=FINAL) as (session, ctx):
            ctx = replace(ctx, tenant_domain=ask.tenant_domain)
            grace = timedelta(days=self.deps.settings.usage_grace_days)  # late events land in their period
            step, runs = process.advance(session, ctx, ask.subscription_id, ask.at, grace)
            return Advanced(step=step, invoices=runs)
