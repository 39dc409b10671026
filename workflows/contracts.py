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
ENTITY_IMPORT: Final = "entity-import"
NOTIFICATION: Final = "notification"
OUTBOX: Final = "outbox"
SEARCH_SYNC: Final = "search-sync"
WEBHOOKS: Final = "webhooks"

# -- signals ------------------------------------------------------------------------------------
EVENT: Final = "event"  # a process event (DslWorkflow)
CANCEL: Final = "cancel"  # BookingWorkflow, CampaignWorkflow
CONFIRM: Final = "confirm"  # BookingWorkflow
RESCHEDULED: Final = "rescheduled"  # BookingWorkflow
STOP: Final = "stop"  # CalendarSyncWorkflow
WAKE: Final = "wake"  # OutboxDispatcherWorkflow
CHANGED: Final = "changed"  # SearchSyncWorkflow

# -- queries and updates ------------------------------------------------------------------------
STATE: Final = "state"  # live state of a process, a booking, an import, a calendar sync
PENDING: Final = "pending"  # SearchSyncWorkflow
DECIDE: Final = "decide"  # a task decision (ApprovalWorkflow, DslWorkflow)
