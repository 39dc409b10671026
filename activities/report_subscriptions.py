"""Activities of the report-delivery workflow: record a run, link and email its export, or record why
it failed."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from adapters.storage import object_store
from domain.analytics.subscriptions import delivery
from domain.analytics.subscriptions.schemas import Begun, DeliveryStart, RunFailed, RunRef
from domain.errors import Conflict, NotFound
from workflows import contracts

FINAL = (NotFound, Conflict)  # a vanished subscription or report, a file that was never written


class ReportSubscriptionActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_BEGIN)
    def begin(self, start: DeliveryStart) -> Begun:
        with self.deps.unit(start.tenant_id, final=FINAL) as (session, ctx):
            return delivery.begin(session, ctx, start)

    @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_DELIVER)
    def deliver(self, ref: RunRef) -> int:
        settings = self.deps.settings
        with self.deps.unit(ref.tenant_id, final=FINAL) as (session, ctx):
            return delivery.deliver(
                session,
                ctx,
                ref.run_id,
                object_store(settings),
                secret=settings.require_jwt_secret(),
                base_url=settings.api_url,
            )

    @activity.defn(name=contracts.REPORT_SUBSCRIPTIONS_FAIL)
    def fail(self, failed: RunFailed) -> None:
        with self.deps.unit(failed.tenant_id) as (session, ctx):
            delivery.fail(session, ctx, failed)
