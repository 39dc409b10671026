"""The import workflow's steps: stage the file, then apply it batch by batch, set-based.

``stage`` COPYs every row into ``entity_import_rows`` once (a second call finds them there). Each
batch then, in one transaction, takes (deletes) its pending staging rows, validates them with the
type's compiled check, writes the good ones (entities, history, unique keys) by COPY into temporary
tables and a few INSERT ... SELECT statements, puts the failed ones back with their reasons and
bumps the counters. A batch that ran to its commit has no pending rows left, so a batch re-run after
a worker crash writes nothing twice.
"""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.models import EntityImport, EntityType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import attribute_precheck, history, imports, validation
from domain.events import service as events
from domain.queries import get_or_404

EVENT_IDS = 1000  # ids per entity.batch_changed event
_MOVE_STAGED = """
    INSERT INTO entity_import_rows (tenant_id, import_id, line, data, raw, outcome, error)
    SELECT %s, %s, line, data, raw, outcome, error FROM import_stage
"""
# A batch takes its pending rows out of the staging table (the delete locks them as FOR UPDATE would,
# and a done row leaves with one write instead of a lock and a delete); failed ones go back, with their
# reasons, for the report. A batch rolled back leaves them all pending.
_TAKE = """
    DELETE FROM entity_import_rows WHERE import_id = %s AND line BETWEEN %s AND %s AND outcome IS NULL
    RETURNING line, data::text, raw
"""
_KEEP_FAILED = """
    INSERT INTO entity_import_rows (tenant_id, import_id, line, data, raw, outcome, error)
    SELECT %s, %s, v.line, v.data, v.raw, 'failed', v.error
    FROM unnest(%s::int[], %s::jsonb[], %s::text[], %s::jsonb[]) AS v(line, data, raw, error)
"""
_COUNT = """
    UPDATE entity_imports SET rows_ok = rows_ok + %s, rows_failed = rows_failed + %s, updated_at = now()
    WHERE id = %s
"""
_HELD_KEYS = """
    SELECT k.field, k.value, k.entity_id FROM entity_keys k
    JOIN unnest(%s::text[], %s::text[]) AS v(field, value) ON k.field = v.field AND k.value = v.value
    WHERE k.tenant_id = %s AND k.type_id = %s
"""


# What a batch writes goes to PostgreSQL by COPY into a temporary table (RLS refuses COPY into the
# tenant's own tables); a few INSERT ... SELECT statements then move it where it belongs.
_WRITE_TABLE = """
    CREATE TEMP TABLE import_write (id uuid, external_id text, status text, attributes jsonb,
                                    dedup_text text, diff jsonb, version int) ON COMMIT DROP
"""
_KEYS_TABLE = "CREATE TEMP TABLE import_keys (field text, value text, entity_id uuid) ON COMMIT DROP"


# A new record's diff (every value it was given, from nothing), built where the attributes already
# are: {"attributes.<name>": [null, value], "status": [null, status], "external_id": [null, id]}.
_CREATED_DIFF = """(
    (SELECT coalesce(jsonb_object_agg('attributes.' || a.key, jsonb_build_array(NULL, a.value)), '{}')
     FROM jsonb_each(v.attributes) AS a WHERE jsonb_typeof(a.value) <> 'null')
    || CASE WHEN v.status IS NULL THEN '{}'
            ELSE jsonb_build_object('status', jsonb_build_array(NULL, v.status)) END
    || CASE WHEN v.external_id IS NULL THEN '{}'
            ELSE jsonb_build_object('external_id', jsonb_build_array(NULL, v.external_id)) END
)"""


def _with_history(written: str) -> str:
    """One statement: ``written`` writes the records of ``v`` (the batch's rows of one kind) and returns
    their ids, and the same statement adds each one's history row."""
    return f"""
    WITH v AS (SELECT * FROM import_write WHERE (version = 1) = %(new)s), written AS ({written})
    INSERT INTO entity_versions (id, tenant_id, entity_id, version, operation, attributes, status,
                                 external_id, diff, actor_id, actor_type, note, created_at, updated_at)
    SELECT gen_random_uuid(), %(tenant)s::uuid, v.id, v.version, %(operation)s, v.attributes, v.status,
           v.external_id, coalesce(v.diff, {_CREATED_DIFF}), %(actor)s::uuid, %(actor_type)s, %(note)s,
           now(), now()
    FROM v JOIN written USING (id)
"""  # noqa: S608 - only the two fixed statements below are formatted in


_CREATE = _with_history("""
        INSERT INTO entities (id, tenant_id, type_id, external_id, status, attributes, version,
                              schema_version, dedup_text, created_by, updated_by, created_at, updated_at)
        SELECT id, %(tenant)s::uuid, %(type)s::uuid, external_id, status, attributes, 1, %(schema_version)s,
               dedup_text, %(actor)s::uuid, %(actor)s::uuid, now(), now()
        FROM v RETURNING id
""")
_UPDATE = _with_history("""
        UPDATE entities e SET attributes = v.attributes, status = v.status, version = v.version,
               schema_version = %(schema_version)s, dedup_text = v.dedup_text, updated_by = %(actor)s::uuid,
               updated_at = now()
        FROM v WHERE e.id = v.id RETURNING e.id
""")
_INSERT_KEYS = """
    INSERT INTO entity_keys (id, tenant_id, type_id, field, value, entity_id, created_at, updated_at)
    SELECT gen_random_uuid(), %s::uuid, %s::uuid, field, value, entity_id, now(), now() FROM import_keys
"""


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Staged:
    last_line: int
    total: int


# -- staging ------------------------------------------------------------------------------------
def stage(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> Staged:
    """Parse the stored file into staging rows (once); unreadable rows are failed right away."""
    imp = get_or_404(session, ctx, EntityImport, import_id, "import", deleted=True, for_update=True)
    cursor = _cursor(session)
    if imp.rows_total is not None:
        cursor.execute(
            "SELECT coalesce(max(line), 0) FROM entity_import_rows WHERE import_id = %s", (str(imp.id),)
        )
        return Staged(int(cursor.fetchone()[0]), imp.rows_total)
    etype = get_or_404(session, ctx, EntityType, imp.type_id, "entity type")
    imp.status, imp.started_at = "running", imp.started_at or datetime.now(UTC)
    _ = imp.content  # loaded now: a lazy load would be a query in the middle of the COPY
    count = {"total": 0, "failed": 0, "last": 0}

    def lines() -> Iterator[str]:
        for row in imports.parse(etype, imp):
            raw = row.raw
            if "\x00" in raw:  # PostgreSQL text cannot hold NUL: keep the rest of the row readable
                raw, row.data, row.error = (
                    raw.replace("\x00", "\ufffd"),
                    None,
                    [{"field": "/", "message": "NUL byte"}],
                )
            data = None if row.data is None else json.dumps(row.data, ensure_ascii=False)
            error = None if row.error is None else json.dumps(row.error, ensure_ascii=False)
            outcome = "failed" if row.error else None
            count["total"] += 1
            count["failed"] += bool(row.error)
            count["last"] = max(count["last"], row.line)
            yield f"{row.line}\t{_text(data)}\t{_text(raw)}\t{_text(outcome)}\t{_text(error)}\n"

    # COPY cannot write into a table under row-level security: COPY into a temporary table, then
    # move the rows over with one INSERT ... SELECT (which the tenant policy checks). The file is
    # parsed as COPY reads it, so PostgreSQL stores rows while the next ones are parsed.
    cursor.execute(
        "CREATE TEMP TABLE import_stage (line int, data jsonb, raw text, outcome varchar(8), error jsonb) "
        "ON COMMIT DROP"
    )
    cursor.copy_expert("COPY import_stage (line, data, raw, outcome, error) FROM STDIN", _Reader(lines()))
    cursor.execute(_MOVE_STAGED, (str(ctx.tenant_id), str(imp.id)))
    cursor.execute("DROP TABLE import_stage")
    total, failed = count["total"], count["failed"]
    imp.rows_total, imp.rows_read, imp.rows_failed = total, total, failed
    session.flush()
    return Staged(count["last"], total)


class _Reader:
    """A file for COPY FROM that makes its text as it is read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines

    def read(self, size: int = -1) -> str:
        parts, length = [], 0
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if 0 < size <= length:
                break
        return "".join(parts)  # "" once the lines run out: the end of the COPY


def _text(value: str | None) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# -- one batch ----------------------------------------------------------------------------------
@dataclass
class _Row:
    line: int
    data: str  # as staged, kept with a failed row
    raw: str | None
    attributes: dict[str, Any]
    status: str | None
    external_id: str | None
    errors: list[dict[str, str]] = field(default_factory=list)
    existing: tuple[Any, ...] | None = None  # (id, version, attributes, status) of the record to update
    entity_id: uuid.UUID | None = None
    keys: dict[str, str] = field(default_factory=dict)
    outcome: str | None = None


def run_batch(
    session: Session, ctx: TenantContext, import_id: uuid.UUID, first_line: int, last_line: int
) -> tuple[int, int]:
    """Apply the pending rows with lines in [first_line, last_line]; returns (ok, failed)."""
    imp = get_or_404(session, ctx, EntityImport, import_id, "import", deleted=True)
    etype = get_or_404(session, ctx, EntityType, imp.type_id, "entity type")
    cursor = _cursor(session)
    cursor.execute(_TAKE, (str(imp.id), first_line, last_line))
    taken = sorted(cursor.fetchall())  # file order: a unique value belongs to its first line
    rows = [_row(line, data, raw) for line, data, raw in taken]
    if not rows:
        return 0, 0
    upsert = imp.mode == "upsert"
    good = []
    valid = attribute_precheck.for_type(etype)
    statuses = set(etype.statuses or ())
    for row in rows:
        status_ok = row.status is None or not statuses or row.status in statuses
        if not (status_ok and isinstance(row.attributes, dict) and valid(row.attributes)):
            row.errors = [
                {"field": e.field, "message": e.message}
                for e in validation.check(etype, row.attributes, row.status)
            ]
        if upsert and row.external_id is None:
            row.errors.append({"field": "/external_id", "message": "is required to upsert"})
        if not row.errors:
            good.append(row)
    good = _match_existing(cursor, ctx, etype, good, upsert)
    if imp.options.get("on_duplicate") == "reject" and etype.dedup:
        good = _reject_similar(cursor, ctx, etype, good)
    good = _claim_keys(cursor, ctx, etype, good)
    actor = imp.options.get("actor_id")
    actor_type = str(imp.options.get("actor_type") or "user")
    _write(cursor, ctx, etype, good, actor, actor_type, note=f"import {imp.id}")
    ok = [r for r in rows if not r.errors]
    failed = len(rows) - len(ok)
    bad = [r for r in rows if r.errors]
    if bad:
        cursor.execute(
            _KEEP_FAILED,
            (
                str(ctx.tenant_id),
                str(imp.id),
                [r.line for r in bad],
                [r.data for r in bad],
                [r.raw for r in bad],
                [json.dumps(r.errors, ensure_ascii=False) for r in bad],
            ),
        )
    cursor.execute(_COUNT, (len(ok), failed, str(imp.id)))
    changed = [str(r.entity_id) for r in ok if r.outcome in ("created", "updated")]
    for start in range(0, len(changed), EVENT_IDS):
        events.emit(
            session,
            ctx,
            "entity.batch_changed",
            {"type": etype.name, "ids": changed[start : start + EVENT_IDS], "source": "import"},
            flush=False,
        )
    if changed:
        counts = {o: sum(r.outcome == o for r in ok) for o in ("created", "updated")}
        audit.record(
            session,
            ctx,
            "entity.imported",
            etype.name,
            imp.id,
            {k: [None, v] for k, v in counts.items()},
            flush=False,
        )
    session.flush()
    return len(ok), failed


def _row(line: int, text: str, raw: str | None) -> _Row:
    data = json.loads(text)  # a pending row always has data: an unreadable one failed when staged
    return _Row(line, text, raw, data.get("attributes") or {}, data.get("status"), data.get("external_id"))


def _match_existing(
    cursor: Any, ctx: TenantContext, etype: EntityType, rows: list[_Row], upsert: bool
) -> list[_Row]:
    """Insert mode refuses an external_id in use; upsert mode updates its live record."""
    wanted = [r.external_id for r in rows if r.external_id is not None]
    if not wanted:
        return rows
    cursor.execute(
        "SELECT external_id, id, version, attributes, status, deleted_at FROM entities "
        "WHERE tenant_id = %s AND type_id = %s AND external_id = ANY(%s) FOR UPDATE",
        (str(ctx.tenant_id), str(etype.id), wanted),  # tenant: raw SQL on the DB-API cursor, filtered by hand
    )
    found = {ext: rest for ext, *rest in cursor.fetchall()}
    for row in rows:
        hit = found.get(row.external_id)
        if hit is None:
            continue
        entity_id, version, attributes, status, deleted_at = hit
        if not upsert:
            row.errors.append(
                {"field": "/external_id", "message": f"already used by {etype.name} {entity_id}"}
            )
        elif deleted_at is not None:
            row.errors.append(
                {
                    "field": "/external_id",
                    "message": f"belongs to deleted {etype.name} {entity_id}; restore it first",
                }
            )
        else:
            row.existing = (uuid.UUID(str(entity_id)), version, attributes, status)
    return [r for r in rows if not r.errors]


def _reject_similar(cursor: Any, ctx: TenantContext, etype: EntityType, rows: list[_Row]) -> list[_Row]:
    """New records too similar to a live one fail (one set-based trigram query for the batch)."""
    from domain.entities.dedup import threshold_of

    probes = [(r.line, validation.dedup_text(etype, r.attributes)) for r in rows if r.existing is None]
    probes = [(line, text) for line, text in probes if text]
    if not probes:
        return rows
    cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', %s, true)", (str(threshold_of(etype)),))
    cursor.execute(
        "SELECT v.line, c.id, c.score FROM unnest(%s::int[], %s::text[]) AS v(line, q) "
        "CROSS JOIN LATERAL (SELECT e.id, similarity(e.dedup_text, v.q) AS score FROM entities e "
        "WHERE e.tenant_id = %s AND e.type_id = %s AND e.deleted_at IS NULL AND e.dedup_text %% v.q "
        "ORDER BY score DESC LIMIT 1) AS c",
        # tenant: raw SQL on the DB-API cursor, filtered by hand
        ([p[0] for p in probes], [p[1] for p in probes], str(ctx.tenant_id), str(etype.id)),
    )
    similar = {line: (entity_id, score) for line, entity_id, score in cursor.fetchall()}
    for row in rows:
        if row.line in similar:
            entity_id, score = similar[row.line]
            message = (
                f"similar to {etype.name} {entity_id} (score {score:.2f}); import with on_duplicate=allow"
            )
            row.errors.append({"field": "/", "message": message})
    return [r for r in rows if not r.errors]


def _claim_keys(cursor: Any, ctx: TenantContext, etype: EntityType, rows: list[_Row]) -> list[_Row]:
    """Unique values: taken by another record, or by an earlier row of the file, fail the row."""
    if not etype.unique:
        return rows
    for row in rows:
        row.keys = validation.unique_values(etype, row.attributes)
    pairs = sorted({(f, v) for r in rows for f, v in r.keys.items()})
    held: dict[tuple[str, str], str] = {}
    if pairs:
        cursor.execute(
            _HELD_KEYS,
            # tenant: raw SQL on the DB-API cursor, filtered by hand
            ([p[0] for p in pairs], [p[1] for p in pairs], str(ctx.tenant_id), str(etype.id)),
        )
        held = {(f, v): str(e) for f, v, e in cursor.fetchall()}
    claimed: dict[tuple[str, str], int] = {}
    for row in rows:
        own = str(row.existing[0]) if row.existing else None
        for key in row.keys.items():
            holder = held.get(key)
            if holder is not None and holder != own:
                row.errors.append(
                    {"field": f"/attributes/{key[0]}", "message": f"already used by {etype.name} {holder}"}
                )
            elif key in claimed:
                row.errors.append(
                    {"field": f"/attributes/{key[0]}", "message": f"same value as line {claimed[key]}"}
                )
        if not row.errors:
            claimed.update(dict.fromkeys(row.keys.items(), row.line))
    return [r for r in rows if not r.errors]


def _write(
    cursor: Any,
    ctx: TenantContext,
    etype: EntityType,
    rows: list[_Row],
    actor: str | None,
    actor_type: str,
    *,
    note: str,
) -> None:
    """Entities with their history rows, then unique keys: one statement for the new records, one for the
    changed ones, one for the keys."""
    buf = io.StringIO()
    kinds: set[str] = set()
    for row in rows:
        diff: dict[str, Any] | None = None  # a new record's is written by the statement (_CREATED_DIFF)
        if row.existing is None:
            row.entity_id, row.outcome, version = uuid.uuid4(), "created", 1
            row.status = validation.default_status(etype, row.status)
        else:
            entity_id, old_version, old_attributes, old_status = row.existing
            row.entity_id = entity_id
            row.status = row.status if row.status is not None else old_status
            after = {"attributes": row.attributes, "status": row.status, "external_id": row.external_id}
            before = {"attributes": old_attributes, "status": old_status, "external_id": row.external_id}
            if before == after:
                row.outcome = "skipped"  # nothing changed: no new version
                continue
            row.outcome, version, diff = "updated", old_version + 1, history.diff(before, after)
        kinds.add(row.outcome)
        buf.write(
            f"{row.entity_id}\t{_text(row.external_id)}\t{_text(row.status)}\t"
            f"{_text(json.dumps(row.attributes, ensure_ascii=False))}\t"
            f"{_text(validation.dedup_text(etype, row.attributes))}\t"
            f"{_text(None if diff is None else json.dumps(diff, ensure_ascii=False))}\t{version}\n"
        )
    if not kinds:
        return
    buf.seek(0)
    cursor.execute(_WRITE_TABLE)
    cursor.copy_expert("COPY import_write FROM STDIN", buf)
    common = {
        "tenant": str(ctx.tenant_id),
        "type": str(etype.id),
        "schema_version": etype.version,
        "actor": actor,
        "actor_type": actor_type,
        "note": note,
    }
    for sql, operation in ((_CREATE, "created"), (_UPDATE, "updated")):
        if operation in kinds:
            cursor.execute(sql, common | {"operation": operation, "new": operation == "created"})
    _write_keys(cursor, ctx, etype, [r for r in rows if r.outcome in ("created", "updated")])


def _write_keys(cursor: Any, ctx: TenantContext, etype: EntityType, rows: list[_Row]) -> None:
    if not etype.unique or not rows:
        return
    updated = [str(r.entity_id) for r in rows if r.outcome == "updated"]
    if updated:
        cursor.execute("DELETE FROM entity_keys WHERE entity_id = ANY(%s::uuid[])", (updated,))
    keys = "".join(f"{_text(f)}\t{_text(v)}\t{r.entity_id}\n" for r in rows for f, v in r.keys.items())
    if keys:
        cursor.execute(_KEYS_TABLE)
        cursor.copy_expert("COPY import_keys FROM STDIN", io.StringIO(keys))
        cursor.execute(_INSERT_KEYS, (str(ctx.tenant_id), str(etype.id)))


# -- the end ------------------------------------------------------------------------------------
def finish(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> str:
    imp = get_or_404(session, ctx, EntityImport, import_id, "import", deleted=True, for_update=True)
    if imp.status == "running":
        imp.status, imp.finished_at = "completed", datetime.now(UTC)
        session.flush()
        _refresh_statistics(session)
    return imp.status


# entity_versions without its JSON columns (attributes, diff): history is read by record, never
# filtered on them, and they cost most of its ANALYZE. The records' attributes keep theirs: a filter's
# containment estimate (matchingsel) reads them.
_ANALYZE = """
    ANALYZE entities,
            entity_versions (id, tenant_id, entity_id, version, operation, status, external_id, actor_id,
                             actor_type, note, created_at, updated_at, deleted_at),
            entity_keys
"""


def _refresh_statistics(session: Session) -> None:
    """Fresh planner statistics after a bulk load: with the old ones PostgreSQL may pick a (tenant, type)
    index scan over the primary key or the listing order for the next reads. Needs the MAINTAIN
    privilege (PostgreSQL 17+, granted by ``keel migrate``); without it autovacuum catches up later."""
    try:
        with session.begin_nested():
            session.execute(text(_ANALYZE))
    except DBAPIError:
        log.warning("no MAINTAIN privilege to ANALYZE after an import; autovacuum will")


def fail(session: Session, ctx: TenantContext, import_id: uuid.UUID, error: str) -> None:
    """The import stopped on an error no retry fixes (its type was deleted, say)."""
    imp = get_or_404(session, ctx, EntityImport, import_id, "import", deleted=True, for_update=True)
    imp.status, imp.error, imp.finished_at = "failed", error[:2000], datetime.now(UTC)
    session.flush()


# -- helpers ------------------------------------------------------------------------------------
def _cursor(session: Session) -> Any:
    """A DB-API cursor on the session's own connection and transaction (COPY, array parameters)."""
    return session.connection().connection.cursor()
