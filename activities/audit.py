"""The audit-maintenance activity: every tenant's sealing and retention step, one transaction each."""

from __future__ import annotations

import logging

from temporalio import activity

from activities import Deps
from activities.housekeeping import HousekeepingActivities
from domain.audit import retention
from domain.audit.canonical import pseudonym_key
from domain.audit.schemas import Maintained
from workflows import contracts

log = logging.getLogger("keel.audit")


class AuditActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.AUDIT_MAINTAIN)
    def maintain(self) -> Maintained:
        key = pseudonym_key(self.deps.settings)
        tenants = HousekeepingActivities(self.deps).tenants()  # needs the owner's URL, as housekeeping does
        sealed = 0
        for tenant_id in tenants:
            with self.deps.unit(tenant_id) as (session, ctx):
                sealed += retention.maintain(session, ctx, key)
            if activity.in_activity():
                activity.heartbeat(str(tenant_id))
        if sealed:
            log.info("audit sealed", extra={"tenants": len(tenants), "sealed": sealed})
        return Maintained(tenants=len(tenants), sealed=sealed)
