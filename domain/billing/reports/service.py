"""Reports' parameters checked (each bad one a 422 naming it) and the report made.

Dates are inclusive: ``from=2026-01-01&to=2026-03-31`` is the first quarter. ``to`` defaults to
today in the tenant's time zone, ``from`` to the first of January of ``to``'s year; at most ten
years apart. The currency defaults to the reporting currency of the billing settings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from db.models.identity import Tenant
from domain.billing.catalog.taxes import seller_settings
from domain.billing.money import check_currency
from domain.billing.reports import aging, mrr, revenue, tax
from domain.billing.reports.periods import PERIODS, Period
from domain.billing.reports.schemas import Report, ReportName, ReportParams
from domain.context import TenantContext
from domain.errors import ValidationFailed

MAX_YEARS = 10
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What each report can be grouped by: its time periods and its other dimension, and the default.
GROUPINGS: dict[ReportName, tuple[tuple[str, ...], str]] = {
    "revenue": ((*PERIODS, "customer"), "month"),
    "ar-aging": (("customer", "none"), "none"),
    "tax": (("rate", "country"), "rate"),
    "mrr": (("month",), "month"),
}
TIME_ZONE_KEY = "timezone"  # tenants.settings["timezone"], an IANA name


def time_zone(session: Session, ctx: TenantContext) -> str:
    """The tenant's IANA time zone when its settings name a valid one, else UTC."""
    tenant = session.get(Tenant, ctx.tenant_id)
    name = (tenant.settings or {}).get(TIME_ZONE_KEY) if tenant is not None else None
    if isinstance(name, str) and 0 < len(name) <= 64:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return "UTC"


def _date(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationFailed.one(name, "must be a date, YYYY-MM-DD")


def _ten_years_after(day: date) -> date:
    try:
        return day.replace(year=day.year + MAX_YEARS)
    except ValueError:  # past year 9999, or 29 February in a year that has none
        if day.year + MAX_YEARS > date.max.year:
            return date.max
        return day.replace(year=day.year + MAX_YEARS, day=28)


def _grouping(report: ReportName, text: str | None) -> tuple[list[str], Period | None, str | None]:
    allowed, default = GROUPINGS[report]
    asked = [part.strip() for part in (text or default).split(",")]
    if any(part not in allowed for part in asked) or len(set(asked)) != len(asked):
        raise ValidationFailed.one("group_by", f"must be one of {', '.join(allowed)}")
    periods = [p for p in asked if p in PERIODS]
    others = [p for p in asked if p not in PERIODS and p != "none"]
    if len(periods) > 1 or len(others) > 1 or ("none" in asked and len(asked) > 1):
        raise ValidationFailed.one(
            "group_by", "takes at most one period and one other dimension, e.g. month,customer"
        )
    period: Period | None = periods[0] if periods else None
    return asked, period, others[0] if others else None


def params(
    session: Session,
    ctx: TenantContext,
    report: ReportName,
    *,
    from_: str | None,
    to: str | None,
    group_by: str | None,
    currency: str | None,
) -> ReportParams:
    """The checked parameters, or a 422 naming the first bad one."""
    ctx.require("billing:read")
    zone = time_zone(session, ctx)
    first, last = _date(from_, "from"), _date(to, "to")
    if report == "ar-aging" and first is not None:
        raise ValidationFailed.one("from", "does not apply: receivables are aged as of `to`")
    last = last or datetime.now(UTC).astimezone(ZoneInfo(zone)).date()
    if report == "ar-aging":
        first = last  # one day: the ageing date
    first = first or last.replace(month=1, day=1)
    if last < first:
        raise ValidationFailed.one("to", "must be on or after `from`")
    if last > _ten_years_after(first):
        raise ValidationFailed.one("to", f"is more than {MAX_YEARS} years after `from`")
    asked, period, by = _grouping(report, group_by)
    if currency is None:
        settings = seller_settings(session, ctx)
        target = settings.reporting_currency if settings is not None else "EUR"
    else:
        try:
            target = check_currency(currency)
        except ValueError as exc:
            raise ValidationFailed.one("currency", "is not an ISO 4217 currency code") from exc
    return ReportParams(first, last, period, by, target, zone, asked)


MAKERS: dict[ReportName, Callable[[Session, TenantContext, ReportParams], Report]] = {
    "revenue": revenue.report,
    "ar-aging": aging.report,
    "tax": tax.report,
    "mrr": mrr.report,
}


def make(session: Session, ctx: TenantContext, report: ReportName, p: ReportParams) -> Report:
    return MAKERS[report](session, ctx, p)
