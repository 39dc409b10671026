"""Exchange rates: one unit of ``base`` is ``rate`` units of ``quote`` on a date. Set one by one
(upserted by base, quote and date) or imported from the ECB's CSV; ``convert`` turns an amount from
one currency into another with the latest rate on or before a day (for reports).

Reads need ``billing:read``, writes ``billing:settings``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator
from sqlalchemy import literal_column
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from db.models.billing import FxRate
from domain.audit import service as audit
from domain.billing.money import Currency, check_currency, digits, round_minor
from domain.context import TenantContext
from domain.errors import FieldError, PayloadTooLarge, ValidationFailed
from domain.pagination import paginate
from domain.queries import live

MAX_IMPORT_BYTES = 1_048_576
MAX_IMPORT_ROWS = 20_000
_RATE = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,12})?")
_BATCH = 1000
EUR = "EUR"


class FxRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base: Currency
    quote: Currency
    rate: Annotated[str, StringConstraints(max_length=25, pattern=f"^{_RATE.pattern}$")]
    date: dt.date

    @field_validator("rate")
    @classmethod
    def _positive(cls, value: str) -> str:
        if Decimal(value) <= 0:
            raise ValueError("must be greater than 0")
        return value

    @field_validator("quote")
    @classmethod
    def _not_base(cls, value: str, info: Any) -> str:
        if value == info.data.get("base"):
            raise ValueError("must differ from base")
        return value


class FxRateOut(BaseModel):
    id: str
    base: str
    quote: str
    rate: str
    date: dt.date
    source: str
    updated_at: dt.datetime


class FxImportOut(BaseModel):
    dates: int  # rows of the file with a date
    rates: int  # rates stored: created + updated
    created: int
    updated: int
    not_available: int  # N/A or empty cells, skipped
    ignored_columns: list[str]  # columns that are not currencies Keel knows


def fx_rate_out(r: FxRate) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "base": r.base,
        "quote": r.quote,
        "rate": f"{Decimal(r.rate).normalize():f}",
        "date": r.on_date.isoformat(),
        "source": r.source,
        "updated_at": r.updated_at.isoformat(),
    }


def _upsert(session: Session, ctx: TenantContext, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert or replace each (base, quote, date); returns (created, updated)."""
    created = updated = 0
    for start in range(0, len(rows), _BATCH):
        values = [row | {"tenant_id": ctx.tenant_id} for row in rows[start : start + _BATCH]]
        base = insert(FxRate).values(values)
        stmt: Any = base.on_conflict_do_update(
            index_elements=["tenant_id", "base", "quote", "on_date"],
            set_={
                "rate": base.excluded.rate,
                "source": base.excluded.source,
                "updated_at": literal_column("now()"),
            },
        ).returning(literal_column("(xmax = 0)"))
        for (inserted,) in session.execute(stmt):
            created, updated = (created + 1, updated) if inserted else (created, updated + 1)
    return created, updated


def set_rate(session: Session, ctx: TenantContext, data: FxRateIn) -> tuple[FxRate, bool]:
    """Upsert one rate; True when it is new."""
    ctx.require("billing:settings")
    row = {
        "base": data.base,
        "quote": data.quote,
        "rate": Decimal(data.rate),
        "on_date": data.date,
        "source": "api",
    }
    created, _ = _upsert(session, ctx, [row])
    session.expire_all()
    stored = session.scalars(
        live(ctx, FxRate).where(
            FxRate.base == data.base, FxRate.quote == data.quote, FxRate.on_date == data.date
        )
    ).one()
    audit.record(
        session, ctx, "fx_rate.set", "fx_rate", stored.id, {"rate": data.rate, "date": data.date.isoformat()}
    )
    return stored, bool(created)


def list_rates(
    session: Session,
    ctx: TenantContext,
    *,
    base: str | None = None,
    quote: str | None = None,
    from_: dt.date | None = None,
    to: dt.date | None = None,
    limit: int | None = None,
    cursor: str | None = None,
) -> tuple[list[FxRate], str | None]:
    ctx.require("billing:read")
    stmt = live(ctx, FxRate)
    if base:
        stmt = stmt.where(FxRate.base == base.upper())
    if quote:
        stmt = stmt.where(FxRate.quote == quote.upper())
    if from_ is not None:
        stmt = stmt.where(FxRate.on_date >= from_)
    if to is not None:
        stmt = stmt.where(FxRate.on_date <= to)
    return paginate(session, stmt, FxRate, limit, cursor)


def _bad(line: int, message: str) -> ValidationFailed:
    return ValidationFailed(
        [FieldError(f"line.{line}", f"line {line}: {message}")], f"line {line}: {message}"
    )


def _ecb_date(text: str) -> dt.date | None:
    """2024-01-02 (the history file) or "02 January 2024" (the ECB's daily file)."""
    for parse in (dt.date.fromisoformat, lambda t: dt.datetime.strptime(t, "%d %B %Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def parse_ecb_csv(content: bytes) -> tuple[list[dict[str, Any]], int, int, list[str]]:
    """The rates of an ECB CSV (``Date`` then one column per currency, base EUR): (rows, dates, N/A
    cells, ignored columns). Any malformed line is a 422 naming its number; nothing is stored."""
    if len(content) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"The file exceeds {MAX_IMPORT_BYTES} bytes.", MAX_IMPORT_BYTES)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed.one("body", "is not UTF-8 text") from exc
    lines = csv.reader(io.StringIO(text))
    header = [cell.strip() for cell in next(lines, [])]
    if not header or header[0].lower() != "date":
        raise _bad(1, "the header must start with a Date column")
    columns: list[str | None] = []  # the currency of each column after Date, None when ignored
    ignored: list[str] = []
    for name in header[1:]:
        code = name.upper()
        if code in columns:
            raise _bad(1, f"the column {name} appears twice")
        try:
            known = check_currency(code) if code and code != EUR else None
        except ValueError:
            known = None
        columns.append(known)
        if name and known is None:
            ignored.append(name)
    found: dict[tuple[str, dt.date], Decimal] = {}
    dates = not_available = 0
    for cells in lines:
        line = lines.line_num
        if not any(cell.strip() for cell in cells):
            continue
        dates += 1
        if dates > MAX_IMPORT_ROWS:
            raise ValidationFailed.one("body", f"has more than {MAX_IMPORT_ROWS} rows")
        if len(cells) != len(header):
            raise _bad(line, f"has {len(cells)} fields where the header has {len(header)}")
        day = _ecb_date(cells[0].strip())
        if day is None:
            raise _bad(line, f"{cells[0][:20]!r} is not a date (YYYY-MM-DD)")
        for column, cell in zip(columns, cells[1:], strict=True):
            value = cell.strip()
            if column is None:
                continue
            code = column
            if value in ("", "N/A"):
                not_available += 1
                continue
            if not _RATE.fullmatch(value) or Decimal(value) <= 0:
                raise _bad(line, f"{code}: {value[:20]!r} is not a positive rate")
            found[(code, day)] = Decimal(value)
    rows = [
        {"base": EUR, "quote": code, "rate": rate, "on_date": day, "source": "ecb_csv"}
        for (code, day), rate in found.items()
    ]
    return rows, dates, not_available, ignored


def import_ecb(session: Session, ctx: TenantContext, content: bytes) -> dict[str, Any]:
    ctx.require("billing:settings")
    rows, dates, not_available, ignored = parse_ecb_csv(content)
    created, updated = _upsert(session, ctx, rows)
    counts = {
        "dates": dates,
        "rates": created + updated,
        "created": created,
        "updated": updated,
        "not_available": not_available,
        "ignored_columns": ignored,
    }
    audit.record(session, ctx, "fx_rate.imported", "fx_rate", "ecb_csv", counts)
    return counts


# -- conversion ---------------------------------------------------------------------------------


def _latest(
    session: Session, ctx: TenantContext, base: str, quote: str, on: dt.date
) -> tuple[Decimal, dt.date] | None:
    """How many ``quote`` one ``base`` buys, from the latest direct or inverse rate on or before ``on``."""
    best: tuple[Decimal, dt.date] | None = None
    for b, q, inverse in ((base, quote, False), (quote, base, True)):
        row = session.scalars(
            live(ctx, FxRate)
            .where(FxRate.base == b, FxRate.quote == q, FxRate.on_date <= on)
            .order_by(FxRate.on_date.desc())
            .limit(1)
        ).first()
        if row is not None and (best is None or row.on_date > best[1]):
            rate = Decimal(row.rate)
            best = (Decimal(1) / rate if inverse else rate, row.on_date)
    return best


def rate_between(session: Session, ctx: TenantContext, source: str, target: str, on: dt.date) -> Decimal:
    """The rate from ``source`` to ``target`` on ``on``: direct, inverse, or across EUR."""
    if source == target:
        return Decimal(1)
    pair = _latest(session, ctx, source, target, on)
    if pair is not None:
        return pair[0]
    if EUR not in (source, target):
        to_eur, from_eur = _latest(session, ctx, source, EUR, on), _latest(session, ctx, EUR, target, on)
        if to_eur is not None and from_eur is not None:
            return to_eur[0] * from_eur[0]
    raise ValidationFailed.one(
        "currency",
        f"no exchange rate from {source} to {target} on or before {on.isoformat()} (directly or across EUR)",
        code="fx_rate_missing",
    )


def convert(
    session: Session, ctx: TenantContext, minor: int, from_currency: str, to_currency: str, on: dt.date
) -> int:
    """``minor`` units of ``from_currency`` in minor units of ``to_currency``, rounded once, half up."""
    source, target = check_currency(from_currency), check_currency(to_currency)
    rate = rate_between(session, ctx, source, target, on)
    value = Decimal(minor).scaleb(-digits(source)) * rate
    return round_minor(value.scaleb(digits(target)))
