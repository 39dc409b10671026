"""The names Temporal knows Keel's workflows by, held once.

Workflow type names and signal/query/update names are part of running histories: changing one
breaks the replay of recorded executions, so they are written here and nowhere else. The workflow
classes declare them (``@workflow.defn(name=...)``); the API and the activities start, signal,
update and query through the typed references (``BookingWorkflow.run``, ``DslWorkflow.decide``),
and only code that cannot hold a class (a child started by a definition step, an external handle)
uses these constants. Pure values: safe to import inside the workflow sandbox.
"""

from __future__ import annotations

from typing import Final

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    # The code workflows a definition step may start, with the approval's name, are a domain
    # registry (definitions are validated against it outside Temporal).
    from domain.processes.schemas import APPROVAL as _APPROVAL

# -- workflow types -----------------------------------------------------------------------------
APPROVAL: Final = _APPROVAL
DSL: Final = "dsl"
BOOKING: Final = "booking"
CALENDAR_SYNC: Final = "calendar-sync"
CAMPAIGN: Final = "campaign"
DOCUMENT_GENERATION: Final = "document-generation"
ENTITY_IMPORT: Final = "entity-import"
REPORT_RUN: Final = "report-run"
REPORT_DELIVERY: Final = "report-delivery"  # started by each report subscription's Schedule
NOTIFICATION: Final = "notification"
OUTBOX: Final = "outbox"
SEARCH_SYNC: Final = "search-sync"
WEBHOOKS: Final = "webhooks"
SIGNING: Final = "signing"
INVOICE: Final = "invoice"
SUBSCRIPTION: Final = "subscription"
HOUSEKEEPING: Final = "housekeeping"  # started by the housekeeping Schedules, one job per run
AUDIT_MAINTENANCE: Final = "audit-maintenance"  # started by the audit-maintenance Schedule

# -- signals ------------------------------------------------------------------------------------
EVENT: Final = "event"  # a process event (DslWorkflow)
CANCEL: Final = "cancel"  # BookingWorkflow, CampaignWorkflow
CONFIRM: Final = "confirm"  # BookingWorkflow
RESCHEDULED: Final = "rescheduled"  # BookingWorkflow
STOP: Final = "stop"  # CalendarSyncWorkflow
WAKE: Final = "wake"  # OutboxDispatcherWorkflow
CHANGED: Final = "changed"  # SearchSyncWorkflow
SIGNER_ACTED: Final = "signer_acted"  # SigningWorkflow: someone signed or declined, or it was voided
INVOICE_CHANGED: Final = "invoice_changed"  # InvoiceWorkflow: paid, credited, voided or sent
SUBSCRIPTION_CHANGED: Final = "subscription_changed"  # SubscriptionWorkflow: items, cancel, pause, resume

# -- queries and updates ------------------------------------------------------------------------
STATE: Final = "state"  # live state of a process, a booking, an import, a calendar sync
PENDING: Final = "pending"  # SearchSyncWorkflow
DECIDE: Final = "decide"  # a task decision (ApprovalWorkflow, DslWorkflow)

# -- activities -----------------------------------------------------------------------------------
# Registered by the activity classes (``@activity.defn(name=...)``) and called by the code workflows;
# definitions call them by these names too, and running histories hold them: never rename one.
BOOKINGS_COMPLETE: Final = "bookings.complete"
BOOKINGS_EXPIRE: Final = "bookings.expire"
BOOKINGS_REMIND: Final = "bookings.remind"
BOOKINGS_TIMES: Final = "bookings.times"
CALENDARS_SYNC: Final = "calendars.sync"
CAMPAIGNS_FINISH: Final = "campaigns.finish"
CAMPAIGNS_IS_CANCELLING: Final = "campaigns.is_cancelling"
CAMPAIGNS_MATERIALIZE: Final = "campaigns.materialize"
CAMPAIGNS_RESUME_HANDED: Final = "campaigns.resume_handed"
CAMPAIGNS_SEND_BATCH: Final = "campaigns.send_batch"
DECISIONS_EVALUATE: Final = "decisions.evaluate"  # a decide step of a definition
DOCUMENTS_FAIL_GENERATION: Final = "documents.fail_generation"
DOCUMENTS_GENERATE: Final = "documents.generate"
EVENTS_EMIT: Final = "events.emit"
IMPORTS_BATCH: Final = "imports.batch"
IMPORTS_FAIL: Final = "imports.fail"
IMPORTS_FINISH: Final = "imports.finish"
IMPORTS_STAGE: Final = "imports.stage"
NOTIFICATIONS_FINISH: Final = "notifications.finish"
NOTIFICATIONS_MARK_FAILED: Final = "notifications.mark_failed"
NOTIFICATIONS_NOTIFY: Final = "notifications.notify"
NOTIFICATIONS_PLAN: Final = "notifications.plan"
NOTIFICATIONS_SEND: Final = "notifications.send"
NOTIFICATIONS_SKIP: Final = "notifications.skip"
OUTBOX_DRAIN: Final = "outbox.drain"
OUTBOX_RECORD_HANDED: Final = "outbox.record_handed"
REPORTS_FAIL: Final = "reports.fail"
REPORTS_RUN: Final = "reports.run"
REPORT_SUBSCRIPTIONS_BEGIN: Final = "report_subscriptions.begin"
REPORT_SUBSCRIPTIONS_DELIVER: Final = "report_subscriptions.deliver"
REPORT_SUBSCRIPTIONS_FAIL: Final = "report_subscriptions.fail"
PROCESSES_CANCEL_OPEN_TASKS: Final = "processes.cancel_open_tasks"
PROCESSES_CANCEL_TASKS: Final = "processes.cancel_tasks"
PROCESSES_COMPLETE_TASK: Final = "processes.complete_task"
PROCESSES_CREATE_TASK: Final = "processes.create_task"
PROCESSES_ESCALATE_TASK: Final = "processes.escalate_task"
PROCESSES_EXPIRE_TASK: Final = "processes.expire_task"
PROCESSES_RECORD_BREACH: Final = "processes.record_breach"
PROCESSES_RECORD_FINISHED: Final = "processes.record_finished"
PROCESSES_REGISTER_CHILD: Final = "processes.register_child"
PROCESSES_ROLE_MEMBERS: Final = "processes.role_members"
SEARCH_REINDEX: Final = "search.reindex"
SEARCH_SYNC_INDEX: Final = "search.sync"  # not SEARCH_SYNC: that is the workflow
WEBHOOKS_ATTEMPT: Final = "webhooks.attempt"
SIGNING_ADVANCE: Final = "signing.advance"
SIGNING_COMPLETE: Final = "signing.complete"
SIGNING_EXPIRE: Final = "signing.expire"
SIGNING_REMIND: Final = "signing.remind"
INVOICES_CHARGE: Final = "invoices.charge"
INVOICES_OVERDUE: Final = "invoices.overdue"
INVOICES_REMIND: Final = "invoices.remind"
INVOICES_RENDER: Final = "invoices.render"
# Subscriptions (SubscriptionActivities): names added below as the subscription work lands.
SUBSCRIPTIONS_ADVANCE: Final = "subscriptions.advance"
HOUSEKEEPING_SWEEP: Final = "housekeeping.sweep"
AUDIT_MAINTAIN: Final = "audit.maintain"
