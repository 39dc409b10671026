"""The search sync workflow: one per tenant (id ``search-sync-<tenant id>``), running for good.

The outbox dispatcher signals it (``changed``) with the ids of records that changed and the types
whose settings changed; it coalesces them and brings the index up to date one batch at a time.
Rebuilds and record syncs of a tenant never run side by side, so a rebuild loses no change made
while it reads: those changes wait here and go to the new collection. If Typesense is down the
activities retry with backoff (no limit) and the pending ids keep accumulating until it is back.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.search.schemas import Reindexed, ReindexIn, SyncBatch, Synced

BATCH = 2000  # record ids per sync activity
MAX_BATCHES = 500  # per run, then continue as new so the history stays small
MAX_PENDING = 20_000  # ids waiting (about 40 bytes each), beyond which a type is rebuilt instead
# No maximum of attempts: an index that is down is waited for, at most 30 s between tries.
RETRY = RetryPolicy(
    initial_interval=timedelta(milliseconds=200),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=30),
)


def sync_workflow_id(tenant_id: uuid.UUID) -> str:
    return f"search-sync-{tenant_id}"


# Outside the sandbox, like the outbox dispatcher: deterministic, latency-bound, no stateful imports.
@workflow.defn(name=contracts.SEARCH_SYNC, sandboxed=False)
class SearchSyncWorkflow:
    def __init__(self) -> None:
        # Insertion-ordered dicts, not sets: string hashing differs between processes, and a replay
        # must take the same ids into each batch.
        self._changes: dict[str, dict[str, None]] = {}
        self._reindex: dict[str, bool] = {}

    @workflow.signal(name=contracts.CHANGED)
    def changed(self, batch: SyncBatch) -> None:
        for name, ids in batch.changes.items():
            self._changes.setdefault(name, {}).update(dict.fromkeys(ids))
        for name, force in batch.reindex.items():
            self._reindex[name] = self._reindex.get(name, False) or force
        # A backlog (Typesense down during an import) is bounded: the type with the most pending
        # ids is rebuilt instead, so the state carried over by continue-as-new stays small.
        while sum(len(v) for v in self._changes.values()) > MAX_PENDING:
            name = max(self._changes, key=lambda n: len(self._changes[n]))
            del self._changes[name]
            self._reindex[name] = True

    @workflow.query(name=contracts.PENDING)
    def pending(self) -> int:
        return sum(len(v) for v in self._changes.values()) + len(self._reindex)

    @workflow.run
    async def run(self, batch: SyncBatch) -> None:
        tenant_id = batch.tenant_id
        self.changed(batch)
        for _ in range(MAX_BATCHES):
            await workflow.wait_condition(lambda: bool(self._changes or self._reindex))
            if self._reindex:
                await self._rebuild(tenant_id)
            else:
                await self._sync(tenant_id)
            if workflow.info().is_continue_as_new_suggested():
                break
        workflow.continue_as_new(
            SyncBatch(
                tenant_id=tenant_id,
                changes={k: list(v) for k, v in self._changes.items()},
                reindex=dict(self._reindex),
            )
        )

    async def _rebuild(self, tenant_id: uuid.UUID) -> None:
        name, force = next(iter(self._reindex.items()))
        del self._reindex[name]
        # The rebuild reads every record after this point: the changes noted so far are in it.
        self._changes.pop(name, None)
        await workflow.execute_activity(
            contracts.SEARCH_REINDEX,
            ReindexIn(tenant_id=tenant_id, type_name=name, force=force),
            result_type=Reindexed,
            start_to_close_timeout=timedelta(hours=1),
            heartbeat_timeout=timedelta(minutes=2),
            retry_policy=RETRY,
        )

    async def _sync(self, tenant_id: uuid.UUID) -> None:
        take: dict[str, list[str]] = {}
        room = BATCH
        for name in list(self._changes):
            ids = self._changes[name]
            chunk = list(ids)[:room]
            for i in chunk:
                del ids[i]
            take[name] = chunk
            room -= len(chunk)
            if not ids:
                del self._changes[name]
            if room <= 0:
                break
        synced: Synced = await workflow.execute_local_activity(
            contracts.SEARCH_SYNC_INDEX,
            SyncBatch(tenant_id=tenant_id, changes=take),
            result_type=Synced,
            start_to_close_timeout=timedelta(seconds=60),
            retry_policy=RETRY,
        )
        for name in synced.stale:
            self._reindex.setdefault(name, False)
