"""Imports: accept a CSV or JSON Lines file, check it at once (encoding, header, mapping), store it,
and turn it into staging rows. The workflow's batches (``import_batches``) do the rest.

Mapping: ``{column: attribute | "external_id" | "status" | null}``. By default a column maps to the
attribute of the same name, ``external_id`` and ``status`` to themselves, and the metadata columns an
export writes (``id``, ``created_at``…) are ignored, so an export imports back as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import EntityImport, EntityImportRow, EntityType
from domain.audit import service as audit
from domain.context import TenantContext
from domain.entities import csvsafe, types
from domain.entities.schemas import ImportOut, ImportRequest
from domain.errors import FieldError, ValidationFailed
from domain.outputs import from_row
from domain.pagination import paginate
from domain.queries import discard_row, get_or_404, live, mine

Format = Literal["csv", "jsonl"]
Mode = Literal["insert", "upsert"]
FORMATS = ("csv", "jsonl")
MODES = ("insert", "upsert")
ON_DUPLICATE = ("reject", "allow")
# Columns an export writes that describe the stored record, not its content: ignored unless mapped.
METADATA = frozenset({"id", "type", "version", "schema_version", "created_at", "updated_at", "deleted_at",
                      "created_by", "updated_by", "merged_into"})  # fmt: skip
SPECIAL = ("external_id", "status")
CONTENT_TYPES = {
    "text/csv": "csv",
    "application/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
}
SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def workflow_id(import_id: uuid.UUID) -> str:
    return f"entity-import-{import_id}"


# -- submission ---------------------------------------------------------------------------------
def submit(session: Session, ctx: TenantContext, req: ImportRequest) -> EntityImport:
    """Check the file and its options, store it; 404 for an unknown type, 422 for anything unusable."""
    ctx.require("entities:write")
    etype = types.get_type(session, ctx, req.type_name)
    problems: list[FieldError] = []
    fmt = infer_format(req.format, req.filename, req.content_type)
    if fmt is None:
        problems.append(FieldError("format", "give format=csv|jsonl (or a .csv / .jsonl file name)"))
    if req.mode not in MODES:
        problems.append(FieldError("mode", "must be insert or upsert"))
    if req.on_duplicate not in ON_DUPLICATE:
        problems.append(FieldError("on_duplicate", "must be reject or allow"))
    if req.mapping is not None and not all(isinstance(k, str) for k in req.mapping):
        problems.append(FieldError("mapping", "must be a JSON object of column to attribute"))
    if problems:
        raise ValidationFailed(problems)
    assert fmt is not None
    text = decode(req.content)
    mapping = dict(req.mapping or {})
    columns = first_columns(text, fmt)
    check_mapping(etype, columns, mapping, fmt)
    row = EntityImport.new(
        ctx,
        id=uuid.uuid4(),
        type_id=etype.id,
        format=fmt,
        mode=req.mode,
        mapping=mapping,
        options={"on_duplicate": req.on_duplicate, "actor_type": ctx.actor_type, "actor_id": _actor(ctx)},
        filename=(req.filename or "")[:255] or None,
        content=req.content,
        status="pending",
        created_by=ctx.user_id,
    )
    row.workflow_id = workflow_id(row.id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        ctx,
        "entity_import.created",
        "entity_import",
        row.id,
        {"type": [None, etype.name], "format": [None, fmt], "mode": [None, req.mode]},
    )
    return row


def discard(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> None:
    """Undo an import whose workflow could not be started."""
    discard_row(session, ctx, EntityImport, import_id)


def infer_format(given: str | None, filename: str | None, content_type: str | None) -> str | None:
    if given:
        return given if given in FORMATS else None
    if filename:
        for suffix, fmt in SUFFIXES.items():
            if filename.lower().endswith(suffix):
                return fmt
    media = (content_type or "").split(";")[0].strip().lower()
    return CONTENT_TYPES.get(media)


def decode(content: bytes) -> str:
    """The file as text: UTF-8 (a BOM is dropped); any other encoding is refused with the offset."""
    bom = len(codecs.BOM_UTF8) if content.startswith(codecs.BOM_UTF8) else 0
    try:
        text = content[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        error = ValidationFailed(
            [FieldError("file", f"is not UTF-8: byte 0x{content[offset]:02x} at offset {offset}")],
            f"The file is not UTF-8 (invalid byte at offset {offset}); save it as UTF-8 and retry.",
            code="encoding",
        )
        error.details["offset"] = offset
        raise error from None
    if not text.strip():
        raise ValidationFailed.one("file", "is empty")
    return text


def first_columns(text: str, fmt: str) -> list[str]:
    """The CSV header, or the keys of the first JSON line (later lines are checked row by row)."""
    if fmt == "csv":
        header = next(csv.reader(io.StringIO(text, newline="")), [])
        columns = [c.strip() for c in header]
        if not any(columns):
            raise ValidationFailed.one("file", "has no header row")
        problems = [FieldError(f"columns.{i}", "is empty") for i, c in enumerate(columns) if not c]
        seen: set[str] = set()
        for i, c in enumerate(columns):
            if c and c in seen:
                problems.append(FieldError(f"columns.{i}", f"column {c!r} appears twice"))
            seen.add(c)
        if problems:
            raise ValidationFailed(problems, "The header row is not usable.")
        return columns
    for line in text.splitlines():
        if line.strip():
            first, problem = parse_line(line)
            if problem is not None:
                return []  # reported as that row's failure
            return list(_flatten(first)) if isinstance(first, dict) else []
    return []


def attribute_names(etype: EntityType) -> tuple[list[str], bool]:
    """The schema's properties in order, and whether other attribute names are allowed too."""
    schema = etype.schema or {}
    props = list((schema.get("properties") or {}).keys())
    extra = schema.get("additionalProperties", False) not in (False, None)
    return props, extra or not props


def targets(etype: EntityType, columns: list[str], mapping: dict[str, Any]) -> dict[str, str | None]:
    """Each column's target (attribute name, external_id, status) or None when ignored."""
    props, _ = attribute_names(etype)
    out: dict[str, str | None] = {}
    for column in columns:
        if column in mapping:
            out[column] = mapping[column]
        elif column in SPECIAL or column in props:
            out[column] = column
        elif column in METADATA:
            out[column] = None
        else:
            out[column] = column  # unknown: refused at submission, a row failure in a JSON line
    return out


def check_mapping(etype: EntityType, columns: list[str], mapping: dict[str, Any], fmt: str) -> None:
    props, open_schema = attribute_names(etype)
    problems: list[FieldError] = []
    for column, target in mapping.items():
        if fmt == "csv" and column not in columns:
            problems.append(FieldError(f"mapping.{column}", "no such column in the file"))
        if target is not None and not isinstance(target, str):
            problems.append(FieldError(f"mapping.{column}", "must be an attribute name or null"))
        elif isinstance(target, str) and target not in SPECIAL and target not in props and not open_schema:
            problems.append(FieldError(f"mapping.{column}", f"{etype.name} has no attribute {target!r}"))
    for column, target in targets(etype, columns, mapping).items():
        if column in mapping or target is None or target in SPECIAL or target in props or open_schema:
            continue
        problems.append(
            FieldError(f"columns.{column}", f"{etype.name} has no attribute {column!r}; map or drop it")
        )
    if problems:
        raise ValidationFailed(problems, "Some columns do not match the type's attributes.")


# -- parsing into staging rows ------------------------------------------------------------------
@dataclass
class StagedRow:
    line: int
    data: dict[str, Any] | None  # {"attributes", "external_id", "status"}; None if unreadable
    raw: str
    error: list[dict[str, str]] | None = None


def parse(etype: EntityType, imp: EntityImport) -> Iterator[StagedRow]:
    """Every row of the stored file, mapped and typed; unreadable rows carry their reason."""
    text = decode(imp.content)
    rows = _csv_rows(etype, imp, text) if imp.format == "csv" else _jsonl_rows(etype, imp, text)
    seen: dict[str, int] = {}
    for row in rows:
        ext = row.data.get("external_id") if row.data else None
        if ext is not None and row.error is None:
            if ext in seen:
                row.error = [
                    {"field": "/external_id", "message": f"duplicate of line {seen[ext]} in the file"}
                ]
            else:
                seen[ext] = row.line
        yield row


def _csv_rows(etype: EntityType, imp: EntityImport, text: str) -> Iterator[StagedRow]:
    buf = io.StringIO(text, newline="")
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for physical in buf:
            consumed.append(physical)
            yield physical

    reader = csv.reader(lines(), strict=True)
    header = [c.strip() for c in next(reader)]
    consumed.clear()
    line = 2
    mapped = targets(etype, header, imp.mapping)
    # (cell index, target, converter) of each column that maps somewhere: the loop below runs per cell
    plan = [(i, t, _converter(etype, t)) for i, c in enumerate(header) if (t := mapped[c]) is not None]
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raw = "".join(consumed)
            consumed.clear()
            yield StagedRow(line, None, raw.rstrip("\r\n"), [{"field": "/", "message": f"unreadable: {exc}"}])
            line += raw.count("\n") or 1
            continue
        raw = "".join(consumed)
        consumed.clear()
        start, line = line, line + (raw.count("\n") or 1)
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # a blank line
        raw = raw.rstrip("\r\n")
        if len(cells) != len(header):
            message = f"expected {len(header)} columns, found {len(cells)}"
            yield StagedRow(start, None, raw, [{"field": "/", "message": message}])
            continue
        attributes: dict[str, Any] = {}
        data: dict[str, Any] = {"attributes": attributes, "external_id": None, "status": None}
        for i, target, convert in plan:
            cell = cells[i]
            if not cell:
                continue
            if cell[0] == "'":  # undo the export's formula guard: an export imports back as it was
                cell = csvsafe.restore(cell)
            if target in SPECIAL:
                data[target] = cell
            else:
                attributes[target] = convert(cell)
        yield StagedRow(start, data, raw)


MAX_DEPTH = 48  # as deep as a request body may nest (KEEL_JSON_MAX_DEPTH's default)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("a number is too large")
    return number


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_line(raw: str) -> tuple[Any, str | None]:
    """A JSON Lines row, or why it cannot be a record: what a request body is refused for, it is too."""
    try:
        value = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    except ValueError as exc:
        return None, f"not JSON: {exc}"
    except RecursionError:
        return None, f"nests deeper than {MAX_DEPTH} levels"
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:  # iteratively: the value may be deep
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return None, f"nests deeper than {MAX_DEPTH} levels"
        texts = [item] if isinstance(item, str) else list(item) if isinstance(item, dict) else []
        for text in texts:
            if (problem := _text_problem(text)) is not None:
                return None, problem
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return value, None


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode()
    except UnicodeEncodeError:
        return "contains a lone surrogate (not valid Unicode)"
    return None


def _jsonl_rows(etype: EntityType, imp: EntityImport, text: str) -> Iterator[StagedRow]:
    props, open_schema = attribute_names(etype)
    for number, raw in enumerate(io.StringIO(text, newline=None), start=1):
        raw = raw.rstrip("\r\n")
        if not raw.strip():
            continue
        obj, problem = parse_line(raw)
        if problem is not None:
            yield StagedRow(number, None, raw, [{"field": "/", "message": problem}])
            continue
        if not isinstance(obj, dict):
            yield StagedRow(number, None, raw, [{"field": "/", "message": "not a JSON object"}])
            continue
        flat = _flatten(obj)
        mapped = targets(etype, list(flat), imp.mapping)
        data: dict[str, Any] = {"attributes": {}, "external_id": None, "status": None}
        unknown = []
        for key, value in flat.items():
            target = mapped[key]
            if target is None or value is None:
                continue
            if target in SPECIAL:
                data[target] = str(value)
            elif target in props or open_schema:
                data["attributes"][target] = value
            else:
                unknown.append({"field": f"/{key}", "message": f"{etype.name} has no attribute {key!r}"})
        yield StagedRow(number, None if unknown else data, raw, unknown or None)


def _flatten(obj: dict[str, Any]) -> dict[str, Any]:
    """An exported record (``{"attributes": {...}, "external_id", ...}``) or a flat object, as columns."""
    if isinstance(obj.get("attributes"), dict):
        return {**obj["attributes"], **{k: v for k, v in obj.items() if k != "attributes"}}
    return obj


def _converter(etype: EntityType, target: str | None) -> Callable[[str], Any]:
    """Turn a CSV cell into the JSON type the schema asks for; a cell that does not convert stays a
    string, so validation reports it against the attribute's pointer."""
    prop = ((etype.schema or {}).get("properties") or {}).get(target or "") or {}
    kinds = prop.get("type")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k and k != "null"]
    casts = [_CASTS[k] for k in kinds if k in _CASTS]
    if not casts or "string" in kinds:
        return _identity

    def convert(cell: str) -> Any:
        for cast in casts:
            try:
                return cast(cell)
            except (ValueError, TypeError):
                continue
        return cell

    return convert


def _identity(cell: str) -> Any:
    return cell


def _number(cell: str) -> int | float:
    if "." in cell or "e" in cell or "E" in cell:  # never an int: spare int() its exception
        return float(cell)
    try:
        return int(cell)
    except ValueError:
        return float(cell)


def _boolean(cell: str) -> bool:
    lowered = cell.strip().lower()
    if lowered in ("true", "1", "yes", "y", "t"):
        return True
    if lowered in ("false", "0", "no", "n", "f"):
        return False
    raise ValueError(cell)


def _json_of(kind: type) -> Callable[[str], Any]:
    def cast(cell: str) -> Any:
        value, problem = parse_line(cell)  # the same limits as a JSON Lines row (depth, NaN, NUL)
        if problem is not None or not isinstance(value, kind):
            raise ValueError(cell)
        return value

    return cast


_CASTS: dict[str, Callable[[str], Any]] = {
    "integer": int,
    "number": _number,
    "boolean": _boolean,
    "object": _json_of(dict),
    "array": _json_of(list),
}


# -- reading ------------------------------------------------------------------------------------
def get(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> EntityImport:
    ctx.require("entities:read")
    return get_or_404(session, ctx, EntityImport, import_id, "import", deleted=True)


def list_imports(
    session: Session, ctx: TenantContext, *, limit: int | None, cursor: str | None
) -> tuple[list[EntityImport], str | None]:
    ctx.require("entities:read")
    stmt = live(ctx, EntityImport, deleted=True)
    return paginate(session, stmt, EntityImport, limit, cursor)


def view(session: Session, imp: EntityImport) -> ImportOut:
    etype = session.get(EntityType, imp.type_id)
    duration = None
    if imp.started_at is not None:
        duration = int(
            ((imp.finished_at or datetime.now(imp.started_at.tzinfo)) - imp.started_at).total_seconds() * 1000
        )
    done = imp.rows_ok + imp.rows_failed
    return from_row(
        ImportOut,
        imp,
        type=etype.name if etype else "",
        on_duplicate=str(imp.options.get("on_duplicate", "allow")),
        rows_pending=None if imp.rows_total is None else max(0, imp.rows_total - done),
        duration_ms=duration,
        rows_per_second=round(done * 1000 / duration, 1) if duration and imp.finished_at else None,
    )


def failed_rows(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> Iterator[dict[str, Any]]:
    """The failed rows in file order: line, raw text and reasons (streamed, a thousand at a time)."""
    get(session, ctx, import_id)
    stmt = (
        select(EntityImportRow.line, EntityImportRow.raw, EntityImportRow.error)
        .where(
            *mine(ctx, EntityImportRow, deleted=True),
            EntityImportRow.import_id == import_id,
            EntityImportRow.outcome == "failed",
        )
        .order_by(EntityImportRow.line)
        .execution_options(yield_per=1000)
    )
    for line, raw, error in session.execute(stmt):
        yield {"line": line, "raw": raw, "errors": error or []}


def _actor(ctx: TenantContext) -> str | None:
    """Who the history of imported records names (as the records API does: the key for API keys)."""
    actor = ctx.actor_id
    return str(actor) if actor else None
