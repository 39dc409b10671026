"""Activities of the search sync workflow: bring records' documents up to date, rebuild a type's index.

Typesense being down raises SearchUnavailable, which Temporal retries with backoff until it is back.
"""

from __future__ import annotations

import threading

from temporalio import activity

from activities import Deps
from adapters.search import SearchIndex
from domain.documents import search as document_search
from domain.search import indexing
from domain.search.schemas import Reindexed, ReindexIn, SyncBatch, Synced
from workflows import contracts

# Imports of thousands of documents take longer than an interactive search is allowed to.
INDEX_TIMEOUT = 30.0


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
        records = dict(data.changes)
        documents = records.pop(indexing.DOCUMENTS, [])
        with self.deps.unit(data.tenant_id) as (session, ctx):
            out = indexing.sync(session, ctx, self.index(), records)
            if documents:
                more = document_search.sync(session, ctx, self.index(), documents)
                out.upserted += more.upserted
                out.deleted += more.deleted
                out.stale.extend(more.stale)
            return out

    @activity.defn(name=contracts.SEARCH_REINDEX)
    def reindex(self, data: ReindexIn) -> Reindexed:
        """Build the type's index anew from PostgreSQL and swap the alias to it."""
        with self.deps.unit(data.tenant_id) as (session, ctx):
            if data.type_name == indexing.DOCUMENTS:
                return document_search.reindex(session, ctx, self.index())
            return indexing.reindex(
                session,
                ctx,
                self.index(),
                data.type_name,
                force=data.force,
                progress=lambda done: activity.heartbeat(done),
            )
