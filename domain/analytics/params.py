"""A query's parameters checked against the metric, each bad one a 422 naming it: the range (from
before to, at most ten years, at most ``MAX_BUCKETS`` buckets), the grain (one the metric declares), the
time zone (an IANA name), the dimensions grouped by and filtered on (ones the metric declares)."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from domain.analytics.facts import Span
from domain.analytics.parser import ParsedMetric
from domain.analytics.schemas import MAX_BUCKETS, MAX_YEARS
from domain.billing.reports.service import time_zone
from domain.context import TenantContext
from domain.errors import ValidationFailed

# The shortest each grain can be: a local day is 23 hours on the day clocks go forward.
SHORTEST = {
    "hour": timedelta(hours=1),
    "day": timedelta(hours=23),
    "week": timedelta(days=7) - timedelta(hours=1),
    "month": timedelta(days=28) - timedelta(hours=1),
}
MAX_VALUES = 100


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def zone_of(session: Session, ctx: TenantContext, asked: str | None) -> str:
    """The asked IANA time zone, else the tenant's (``settings.timezone``), else UTC."""
    if asked is None:
        return time_zone(session, ctx)
    if asked not in _zones() and asked != "UTC":
        raise ValidationFailed.one("timezone", f"'{asked[:64]}' is not an IANA time zone (e.g. Europe/Paris)")
    return asked


def grain_of(parsed: ParsedMetric, asked: str | None) -> str:
    grains = parsed.declaration.grains
    if asked is None:
        return "day" if "day" in grains else grains[0]
    if asked not in grains:
        raise ValidationFailed.one("grain", f"the metric declares the grains {', '.join(grains)}")
    return asked


def group_of(parsed: ParsedMetric, asked: str | None) -> tuple[str, ...]:
    if not asked:
        return ()
    names = tuple(part.strip() for part in asked.split(","))
    declared = parsed.declaration.dimensions
    for name in names:
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ValidationFailed.one(
                "group_by", f"'{name[:64]}' is not a dimension of the metric; it declares: {known}"
            )
    if len(set(names)) != len(names):
        raise ValidationFailed.one("group_by", "names a dimension twice")
    return names


def check_where(parsed: ParsedMetric, asked: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """``filter[dimension]=value`` (repeated for several values): declared dimensions only."""
    declared = parsed.declaration.dimensions
    out: dict[str, list[str]] = {}
    for name, wanted in asked.items():
        field = f"filter[{name[:64]}]"
        if name not in declared:
            raise ValidationFailed.one(
                field, f"is not a dimension of the metric; it declares: {', '.join(declared) or 'none'}"
            )
        if not wanted or len(wanted) > MAX_VALUES or any(len(v) > 200 for v in wanted):
            raise ValidationFailed.one(field, f"takes 1 to {MAX_VALUES} values of at most 200 characters")
        out[name] = list(wanted)
    return out


def _years_later(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February, or past year 9999
        return moment.replace(year=min(moment.year + years, datetime.max.year), day=28)


def check_span(start: datetime, end: datetime, grain: str | None) -> Span:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValidationFailed.one("from", "needs an offset (RFC 3339)")
    if start >= end:
        raise ValidationFailed.one("to", "must be after `from`")
    if end > _years_later(start, MAX_YEARS):
        raise ValidationFailed.one("to", f"is more than {MAX_YEARS} years after `from`")
    if grain is not None and (end - start) / SHORTEST[grain] > MAX_BUCKETS:
        raise ValidationFailed.one(
            "grain",
            f"the range holds more than {MAX_BUCKETS} {grain}s: ask for a coarser grain or a shorter range",
        )
    return start, end
