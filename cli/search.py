"""``keel reindex TYPE [--tenant DOMAIN]``: rebuild a type's search index from PostgreSQL.

The rebuild runs in the tenant's search sync workflow (a forced ``reindex`` signal), not in this
process: there it never overlaps the syncing of single records (no change made meanwhile is lost
to the alias swap), it retries while Typesense is down, and it finishes even if this command is
interrupted. The command waits until the alias points at the new collection.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine, select

from keel.settings import Settings


@dataclass(frozen=True)
class _Target:
    tenant_id: uuid.UUID
    domain: str
    before: str | None  # the collection the alias pointed at when asked


def add_commands(sub: argparse._SubParsersAction) -> None:
    reindex = sub.add_parser("reindex", help="rebuild an entity type's search index from PostgreSQL")
    reindex.add_argument("type", help="the entity type's name")
    reindex.add_argument("--tenant", metavar="DOMAIN", help="only this tenant (default: all with TYPE)")
    reindex.add_argument("--timeout", type=float, default=1800, help="seconds to wait for each rebuild")
    reindex.add_argument("--no-wait", action="store_true", help="ask for the rebuild and return")
    reindex.set_defaults(func=cmd_reindex)


def cmd_reindex(settings: Settings, args: argparse.Namespace) -> int:
    from adapters.search import SearchIndex
    from db.session import make_engine

    if not settings.typesense_url or settings.typesense_api_key is None:
        print("error: search is not configured (KEEL_TYPESENSE_URL, KEEL_TYPESENSE_API_KEY)", file=sys.stderr)
        return 1
    engine = make_engine(settings.require_admin_url(), pool_size=1)
    try:
        targets, problem = _targets(engine, args.type, args.tenant)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        asyncio.run(_request(settings, args.type, targets))
        if args.no_wait:
            print(f"rebuild of '{args.type}' requested for {len(targets)} tenant(s)")
            return 0
        index = SearchIndex.from_settings(settings)
        for target in targets:
            collection = _wait_for_swap(engine, target, args.type, args.timeout)
            if collection is None:
                print(f"error: {target.domain}: no rebuild within {args.timeout:.0f} s", file=sys.stderr)
                return 1
            print(f"{target.domain}: {args.type} -> {collection} ({index.count(collection)} documents)")
        return 0
    finally:
        engine.dispose()


def _targets(engine: Engine, type_name: str, domain: str | None) -> tuple[list[_Target], str | None]:
    from db.models import EntityType, Tenant
    from db.session import system_session
    from domain.search.indexing import is_searchable

    with system_session(engine) as session:
        stmt = (
            select(EntityType, Tenant.domain)
            .join(Tenant, Tenant.id == EntityType.tenant_id)
            .where(EntityType.name == type_name, EntityType.deleted_at.is_(None))
        )
        if domain:
            stmt = stmt.where(Tenant.domain == domain)
        rows = [(t, str(d)) for t, d in session.execute(stmt)]
    where = f" in tenant {domain}" if domain else ""
    if not rows:
        return [], f"no entity type '{type_name}'{where}"
    targets = [_Target(t.tenant_id, d, t.index_collection) for t, d in rows if is_searchable(t)]
    if not targets:
        return [], f"entity type '{type_name}'{where} has no search settings"
    return targets, None


async def _request(settings: Settings, type_name: str, targets: list[_Target]) -> None:
    from domain.search.schemas import SyncBatch
    from keel.temporal import connect
    from workflows.search import sync_workflow_id

    client = await connect(settings)
    for target in targets:
        await client.start_workflow(
            "search-sync",
            SyncBatch(tenant_id=target.tenant_id),
            id=sync_workflow_id(target.tenant_id),
            task_queue=settings.temporal_task_queue,
            start_signal="changed",
            start_signal_args=[SyncBatch(tenant_id=target.tenant_id, reindex={type_name: True})],
        )


def _wait_for_swap(engine: Engine, target: _Target, type_name: str, timeout: float) -> str | None:
    from db.models import EntityType
    from db.session import system_session

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with system_session(engine) as session:
            current = session.scalar(
                select(EntityType.index_collection).where(
                    EntityType.tenant_id == target.tenant_id, EntityType.name == type_name
                )
            )
        if current and current != target.before:
            return current
        time.sleep(0.2)
    return None
