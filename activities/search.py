"""Activities of the search sync workflow: bring records' documents up to date, rebuild a type's index.

Typesense being down raises SearchUnavailable, which Temporal retries with backoff until it is back.
"""

from __future__ import annotations

import threading
import uuid

from temporalio import activity

from activities import Deps
from adapters.search import SearchIndex
from db.session import tenant_session
from domain.context import TenantContext
from domain.search import indexing
from domain.search.schemas import Reindexed, ReindexIn, SyncBatch, Synced
from workflows import contracts

# Imports of thousands of documents take longer than an interactive search is allowed to.
INDEX_TIMEOUT = 30.0


def _ctx(tenant_id: uuid.UUID) -> TenantContext:
    return TenantContext.system(tenant_id, correlation_id=activity.info().workflow_id)


class SearchActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()

    def index(self) -> SearchIndex:
        with self._lock:
            if self._index is None:
                self._index = SearchIndex.from_settings(self.deps.settings, timeout=INDEX_TIMEOUT)
            return self._index

    @activity.defn(name=contracts.SEARCH_SYNC_INDEX)
    def sync(self, data: SyncBatch) -> Synced:
        """Upsert the live records among these ids, delete the others; report types to rebuild."""
        with tenant_session(self.deps.engine, data.tenant_id) as session:
            return indexing.sync(session, _ctx(data.tenant_id), self.index(), data.changes)

    @activity.defn(name=contracts.SEARCH_REINDEX)
    def reindex(self, data: ReindexIn) -> Reindexed:
        """Build the type's index anew from PostgreSQL and swap the alias to it."""
        with tenant_session(self.deps.engine, data.tenant_id) as session:
            return indexing.reindex(
                session,
                _ctx(data.tenant_id),
                self.index(),
                data.type_name,
                force=data.force,
                progress=lambda done: activity.heartbeat(done),
            )
