"""A metric's figures over a time range, per local bucket and group: exact, and at most a minute old.

Closed buckets below the watermark are read from the rollups, at the coarsest level (daily, hourly,
15-minute) whose buckets each fall in one local bucket of the grain; the edges of the range that
are not whole buckets, and everything after the watermark, from the raw facts; the two merge exactly
(count, sum, min, max). Percentiles and distinct counts do not merge: they are computed from the raw
facts over the whole range. Every statement runs under a statement timeout and a row limit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, literal, literal_column, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from domain.analytics import facts, rollups
from domain.analytics.facts import Key, Slice, Span, Totals
from domain.analytics.parser import ParsedMetric
from domain.analytics.schemas import MAX_GROUPS, MERGEABLE, STATEMENT_TIMEOUT_MS, Value
from domain.context import TenantContext
from domain.errors import ValidationFailed

MAX_ROWS = 100_000
STEP = {"hour": "1 hour", "day": "1 day", "week": "1 week", "month": "1 month"}
SIX_PLACES = Decimal("0.000001")


def _run(session: Session, stmt: Any, params: Mapping[str, Any] | None = None) -> list[Any]:
    try:
        rows = list(session.execute(stmt, params))
    except DBAPIError as exc:
        state = getattr(exc.orig, "pgcode", None)
        if state == "57014":  # query_canceled: the statement timeout
            message = "the query took too long: ask for a shorter range, a coarser grain or fewer groups"
            raise ValidationFailed.one("to", message) from exc
        if state == "22023":  # invalid_parameter_value: a time zone PostgreSQL does not know
            raise ValidationFailed.one("timezone", "is not a time zone the database knows") from exc
        raise
    if len(rows) > MAX_ROWS:
        raise ValidationFailed.one("group_by", f"the answer would hold more than {MAX_ROWS} rows")
    return rows


@functools.cache
def _offsets(timezone: str, year: int) -> frozenset[int]:
    """The UTC offsets (seconds) the zone takes during ``year`` (UTC), looked at every hour."""
    zone, moment = ZoneInfo(timezone), datetime(year, 1, 1, tzinfo=UTC)
    seen: set[int] = set()
    while moment.year == year and moment < datetime.max.replace(tzinfo=UTC) - timedelta(hours=1):
        try:
            seen.add(int(moment.astimezone(zone).utcoffset().total_seconds()))  # type: ignore[union-attr]
        except OverflowError:  # the local time is before year 1 or after 9999: no level is trusted
            seen.add(-1)
        moment += timedelta(hours=1)
    return frozenset(seen)


def widths(span: Span, asked: Slice) -> list[int]:
    """The rollup levels whose every bucket lies in one local bucket of the grain: any for the whole
    range as one; else those as long as the grain at most, whose width divides the zone's offsets over
    the range (hourly rows in a zone of whole-hour offsets, DST or not; daily ones in UTC)."""
    if asked.grain is None:
        return list(rollups.WIDTHS)
    years = range(span[0].astimezone(UTC).year, span[1].astimezone(UTC).year + 1)
    offsets = set().union(*(_offsets(asked.timezone, year) for year in years))
    longest = 3600 if asked.grain == "hour" else 86400
    return [w for w in rollups.WIDTHS if w <= longest and all(o % w == 0 for o in offsets)]


def _split(
    span: Span, folded: datetime | None, usable: list[int]
) -> tuple[list[tuple[int, Span]], list[Span]]:
    """The parts of ``span`` the rollups answer, coarsest level first (whole buckets of a level, below
    ``folded``: a bucket the watermark cuts is not whole yet), and the rest, read from the raw facts."""
    if folded is None:
        return [], [span]
    pieces: list[tuple[int, Span]] = []
    rest = [span]
    for width in sorted(usable, reverse=True):
        left: list[Span] = []
        for start, end in rest:
            low = rollups.ceil(start, width)
            high = min(rollups.floor(end, width), rollups.floor(folded, width))
            if low >= high:
                left.append((start, end))
                continue
            pieces.append((width, (low, high)))
            left += [s for s in ((start, low), (high, end)) if s[0] < s[1]]
        rest = left
    return pieces, rest


def figures(
    session: Session,
    ctx: TenantContext,
    metric: ParsedMetric,
    span: Span,
    asked: Slice,
    from_rollups: bool = True,
) -> tuple[dict[Key, Value], dict[Key, Value]]:
    """The figures per (local bucket, group values…), and per (local bucket,): count, sum, min and max
    from the rollups and the raw facts merged in one statement (``from_rollups=False``: from the raw
    facts alone, what the rollups must agree with)."""
    folded = rollups.folded_to(session, ctx, metric) if from_rollups else None
    from_levels, live = _split(span, folded, widths(span, asked))
    rows = _run(session, *_merged(ctx, metric, from_levels, live, asked))
    agg, unit = metric.declaration.measure.agg, metric.unit
    grouped: dict[Key, Value] = {}
    whole: dict[Key, Value] = {}
    if asked.grain is not None and asked.group_by:  # each row: keys, GROUPING flag, the four figures
        for row in rows:
            if row[-5]:
                whole[(row[0],)] = _figure(agg, unit, *row[-4:])
            else:
                grouped[tuple(row[:-5])] = _figure(agg, unit, *row[-4:])
        return grouped, whole
    grouped = {tuple(row[:-4]): _figure(agg, unit, *row[-4:]) for row in rows}
    return grouped, grouped


@dataclass(frozen=True)
class _Owner:
    """Whose rows a statement template reads: a parameter, bound at each execution."""

    tenant_id: Any


_TEMPLATES: dict[tuple[Any, ...], Select[Any]] = {}
MAX_TEMPLATES = 256


def _merged(
    ctx: TenantContext,
    metric: ParsedMetric,
    from_levels: list[tuple[int, Span]],
    live: list[Span],
    asked: Slice,
) -> tuple[Select[Any], dict[str, Any]]:
    """``facts.merged_totals`` of the live spans and the rollup levels, and the values to run it with.

    The statement is built once per shape (metric version, grain, zone, groups, filtered dimensions,
    how many spans and which levels) with the tenant, the spans and the filter values as parameters:
    building it costs more than PostgreSQL takes to answer from the rollups."""
    dims = tuple(asked.where or {})
    levels = tuple(width for width, _ in from_levels)
    key = (
        metric.declaration.name,
        metric.sha256,
        asked.grain,
        asked.timezone,
        asked.group_by,
        dims,
        len(live),
        levels,
    )
    params: dict[str, Any] = {"tenant": ctx.tenant_id}
    spans = [("live", s) for s in live] + [("level", s) for _, s in from_levels]
    for i, (kind, (lo, hi)) in enumerate(spans):
        params[f"{kind}{i}_from"], params[f"{kind}{i}_to"] = lo, hi
    params |= {f"where{i}": list((asked.where or {})[d]) for i, d in enumerate(dims)}
    stmt = _TEMPLATES.get(key)
    if stmt is None:
        owner = cast(TenantContext, _Owner(bindparam("tenant")))
        bound: list[Any] = [
            (bindparam(f"{kind}{i}_from"), bindparam(f"{kind}{i}_to")) for i, (kind, _) in enumerate(spans)
        ]
        where: dict[str, Any] = {d: bindparam(f"where{i}", expanding=True) for i, d in enumerate(dims)}
        shape = Slice(asked.grain, asked.timezone, asked.group_by, where)
        parts = [facts.live_totals(owner, metric, bound[: len(live)], shape, None)] if live else []
        if from_levels:
            pieces = list(zip(levels, bound[len(live) :], strict=True))
            parts.append(facts.rollup_totals(owner, metric, pieces, shape, None))
        stmt = facts.merged_totals(parts, shape, MAX_ROWS + 1)
        if len(_TEMPLATES) >= MAX_TEMPLATES:
            _TEMPLATES.clear()
        _TEMPLATES[key] = stmt
    return stmt, params


def _figure(agg: str, unit: str, count: Any, total: Any, low: Any, high: Any) -> Value:
    raw: Decimal | int | None
    if agg == "count":
        return int(count or 0)
    if agg == "sum":
        raw = total if total is not None else Decimal(0)
    elif agg == "avg":
        raw = (total / count) if count and total is not None else None
    else:
        raw = low if agg == "min" else high
    return _shown(unit, raw)


def figure(metric: ParsedMetric, t: Totals | None) -> Value:
    """The metric's value from merged totals, as answered."""
    t = t or Totals()
    return _figure(metric.declaration.measure.agg, metric.unit, t.count, t.sum, t.min, t.max)


def shown(metric: ParsedMetric, raw: Any) -> Value:
    """An amount as a decimal string, a count as an integer, seconds and other numbers as floats."""
    return _shown(metric.unit, raw)


def _shown(unit: str, raw: Any) -> Value:
    if raw is None:
        return None
    if unit == "count":
        return int(raw)
    if unit == "amount":
        value = Decimal(raw)
        exact = value.quantize(SIX_PLACES) if value.as_tuple().exponent < -6 else value  # type: ignore[operator]
        text_ = format(exact, "f")
        return text_.rstrip("0").rstrip(".") if "." in text_ else text_
    return round(float(raw), 6)


def values(
    session: Session, ctx: TenantContext, metric: ParsedMetric, span: Span, asked: Slice
) -> dict[Key, Value]:
    """The metric's value per (local bucket, group values…)."""
    if metric.declaration.measure.agg in MERGEABLE:
        return figures(session, ctx, metric, span, asked)[0]
    rows = _run(session, facts.exact_values(ctx, metric, span, asked, MAX_ROWS + 1))
    return {tuple(row[:-1]): shown(metric, row[-1]) for row in rows}


def bucket_starts(session: Session, span: Span, grain: str, timezone: str) -> list[datetime]:
    """The local periods of ``grain`` in ``timezone`` that meet [start, end), as PostgreSQL truncates
    facts (a local day of 23 or 25 hours across a DST change)."""
    if timezone == "UTC":
        try:
            return _utc_starts(span, grain)
        except OverflowError:  # past year 9999: PostgreSQL says where the buckets stop
            pass
    start, end = span
    series = (
        func.generate_series(
            func.date_trunc(grain, literal(start), timezone),
            literal(end),
            literal_column(f"interval '{STEP[grain]}'"),  # one of four constants
            timezone,
        )
        .table_valued("g")
        .render_derived(name="moments")
    )
    bucket = func.date_trunc(grain, series.c.g, timezone)
    stmt = select(bucket).where(series.c.g < end).group_by(bucket).order_by(bucket)
    return [row[0] for row in _run(session, stmt)]


def _utc_starts(span: Span, grain: str) -> list[datetime]:
    """``bucket_starts`` in UTC, where every bucket lasts as long as its grain says: no round trip."""
    moment = span[0].astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    if grain != "hour":
        moment = moment.replace(hour=0)
    if grain == "week":
        moment -= timedelta(days=moment.weekday())  # ISO weeks start on Monday, as date_trunc's
    elif grain == "month":
        moment = moment.replace(day=1)
    starts: list[datetime] = []
    while moment < span[1]:
        starts.append(moment)
        if grain == "month":
            year, month = divmod(moment.month, 12)
            moment = moment.replace(year=moment.year + year, month=month + 1)
        else:
            moment += {"hour": timedelta(hours=1), "day": timedelta(days=1)}.get(grain, timedelta(weeks=1))
    return starts


def limit_statement(session: Session) -> None:
    """What the rest of the request's transaction may spend: time per statement, memory per sort (enough
    to sort a 10,000-bucket, many-group answer without spilling to disk). Set once per transaction:
    a dashboard's tiles share it (set outside a savepoint only, which a failed tile could undo)."""
    root = session.get_transaction()
    if root is not None and session.info.get(rollups.LIMITED) is root:
        return
    session.execute(
        text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}; SET LOCAL work_mem = '32MB'")
    )
    if session.get_nested_transaction() is None:
        session.info[rollups.LIMITED] = session.get_transaction()


def grouped(by: Sequence[str], rows: Mapping[Key, Value]) -> dict[Any, list[dict[str, Any]]]:
    """Groups per bucket, in the order of their values as text; more than ``MAX_GROUPS`` distinct
    groups in all is a 422."""
    seen = {key[1:] for key in rows}
    if len(seen) > MAX_GROUPS:
        raise ValidationFailed.one(
            "group_by", f"the answer would hold {len(seen)} groups; at most {MAX_GROUPS} are answered"
        )
    # The groups are sorted once, not with every bucket: a few dozen of them, hundreds of buckets.
    ordered = sorted(seen, key=lambda group: tuple(str(v) for v in group))
    rank = {group: i for i, group in enumerate(ordered)}
    keys = {group: dict(zip(by, group, strict=True)) for group in ordered}
    out: dict[Any, list[dict[str, Any]]] = {}
    for key in sorted(rows, key=lambda k: rank[k[1:]]):
        out.setdefault(key[0], []).append({"key": keys[key[1:]], "value": rows[key]})
    return out


def local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).isoformat()


def previous(span: Span) -> Span:
    length: timedelta = span[1] - span[0]
    return span[0] - length, span[0]


def difference(metric: ParsedMetric, now: Value, before: Value) -> tuple[Value, float | None]:
    """The change from ``before`` to ``now``, and that change relative to ``before``."""
    if now is None or before is None:
        return None, None
    change = Decimal(str(now)) - Decimal(str(before))
    ratio = float(change / Decimal(str(before))) if Decimal(str(before)) != 0 else None
    return shown(metric, change), (round(ratio, 6) if ratio is not None else None)
