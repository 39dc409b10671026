"""What a dashboard's tiles show, read server-side before any script runs: a number with the previous
period's figure and the change (▲/▼ with words, not colour alone), a series as a table of figures (the
table tile, the text alternative of a chart, and a heatmap's graded cells), in the reader's language and
the series' time zone. ``console-dashboards.js`` writes the same figures the same way when they change."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from domain.analytics.schemas import KpiValue, Series, TileData
from domain.durations import parse_duration

ADDITIVE = ("count", "amount")  # figures whose groups add up to the bucket's
GRADES = 5  # heat-0 (nothing) … heat-4 (the highest figure)
DURATIONS = ((120, "second", 1), (7200, "minute", 60), (172800, "hour", 3600), (None, "day", 86400))
"""Under two minutes in seconds, under two hours in minutes, under two days in hours, else days."""


def figure(value: Any, unit: str, lang: str, words: dict[str, str], signed: bool = False) -> str:
    """A figure as the reader's language writes it; durations in the unit that reads best."""
    if value is None:
        return words["dashboards_no_value"]
    number = Decimal(str(value))
    sign = "+" if signed and number > 0 else ""
    if unit == "seconds":
        size = abs(number)
        _, name, seconds = next(d for d in DURATIONS if d[0] is None or size < d[0])
        size_ = number / seconds
        return sign + format_unit(size_, f"duration-{name}", length="short", format="#,##0.#", locale=lang)
    pattern = "#,##0" if unit == "count" else "#,##0.##"
    return sign + format_decimal(number, format=pattern, locale=lang)


def change(kpi: KpiValue, lang: str, words: dict[str, str]) -> dict[str, str]:
    """The change from the previous period: its direction (up, down, same, none) and its words."""
    if kpi.change is None:
        return {"direction": "none", "arrow": "", "text": words["dashboards_change_none"]}
    amount = Decimal(str(kpi.change))
    if amount == 0:
        return {"direction": "same", "arrow": "=", "text": words["dashboards_change_same"]}
    if kpi.change_ratio is None:  # nothing before: the change alone, its direction said in words
        by = figure(abs(amount), kpi.unit, lang, words)
    else:
        signed = figure(kpi.change, kpi.unit, lang, words, signed=True)
        by = f"{format_percent(abs(kpi.change_ratio), locale=lang)} ({signed})"
    up = amount > 0
    text = words["dashboards_up" if up else "dashboards_down"].format(change=by)
    return {"direction": "up" if up else "down", "arrow": "▲" if up else "▼", "text": text}


def period(params: Any, lang: str, zone: str, words: dict[str, str]) -> str:
    """The tile's window in words: "Last 7 days", else its dates."""
    if params.start is not None and params.end is not None:
        start, end = (moment(m.isoformat(), "day", zone, lang, words) for m in (params.start, params.end))
        return words["dashboards_between"].format(start=start, end=end)
    length = parse_duration(params.range or "P7D")
    if length % timedelta(days=1) == timedelta(0):
        days = length // timedelta(days=1)
        return words["dashboards_last_day"] if days == 1 else words["dashboards_last_days"].format(n=days)
    hours = max(1, round(length / timedelta(hours=1)))
    return words["dashboards_last_hour"] if hours == 1 else words["dashboards_last_hours"].format(n=hours)


def moment(start: str, grain: str, zone: str, lang: str, words: dict[str, str]) -> str:
    """A bucket's start as its grain reads: an hour with its time, a day, a week, a month."""
    at = datetime.fromisoformat(start).astimezone(ZoneInfo(zone))
    if grain == "hour":
        return f"{format_skeleton('MMMd', at, locale=lang)} {format_time(at, 'short', locale=lang)}"
    if grain == "month":
        return format_skeleton("yMMMM", at, locale=lang)
    day = format_skeleton("yMMMd", at, locale=lang)
    return words["dashboards_week_of"].format(date=day) if grain == "week" else day


def group_name(key: dict[str, str | None], words: dict[str, str]) -> str:
    return " · ".join(words["dashboards_none"] if v is None else str(v) for v in key.values()) or "—"


def _grade(value: Any, highest: Decimal) -> int:
    if value is None or highest <= 0:
        return 0
    share = Decimal(str(value)) / highest
    return 0 if share <= 0 else min(GRADES - 1, max(1, int(share * (GRADES - 1) + Decimal("0.999"))))


def table(series: Series, lang: str, words: dict[str, str]) -> dict[str, Any]:
    """The series as rows of buckets and a column per group (one "value" column without groups), each
    cell with its figure and its heat grade against the highest figure."""
    grouped = any(b.groups is not None for b in series.buckets)
    names: list[str] = []
    if grouped:
        for bucket in series.buckets:
            for g in bucket.groups or []:
                if (name := group_name(g.key, words)) not in names:
                    names.append(name)
    cells = [
        {group_name(g.key, words): g.value for g in b.groups or []} if grouped else {"": b.value}
        for b in series.buckets
    ]
    if grouped and series.unit == "count":  # a group missing from a bucket counted nothing there
        cells = [{name: row.get(name, 0) for name in names} for row in cells]
    figures = [Decimal(str(v)) for row in cells for v in row.values() if v is not None]
    highest = max(figures, default=Decimal(0))
    columns = names if grouped else [""]
    rows = [
        {
            "label": moment(b.start, series.grain, series.timezone, lang, words),
            "cells": [
                {
                    "text": figure(row.get(c), series.unit, lang, words),
                    "grade": _grade(row.get(c), highest),
                }
                for c in columns
            ],
        }
        for b, row in zip(series.buckets, cells, strict=True)
    ]
    return {"columns": [c or words["dashboards_value"] for c in columns], "rows": rows}


def summary(series: Series, lang: str, words: dict[str, str]) -> str:
    """A chart in a sentence: how many periods, the latest and the highest figure (of the groups added
    up when the figures add up; else the highest of any group)."""
    if series.unit not in ADDITIVE and any(b.groups for b in series.buckets):
        every = [g for b in series.buckets for g in b.groups or []]
        figures = [Decimal(str(g.value)) for g in every if g.value is not None]
        if not figures:
            return words["dashboards_chart_empty"]
        groups = {group_name(g.key, words) for g in every}
        return words["dashboards_chart_summary_groups"].format(
            n=len(series.buckets), groups=len(groups), highest=figure(max(figures), series.unit, lang, words)
        )
    totals = [
        sum((Decimal(str(g.value)) for g in b.groups or [] if g.value is not None), Decimal(0))
        if b.groups is not None
        else (Decimal(str(b.value)) if b.value is not None else None)
        for b in series.buckets
    ]
    known = [v for v in totals if v is not None]
    if not known:
        return words["dashboards_chart_empty"]
    return words["dashboards_chart_summary"].format(
        n=len(series.buckets),
        latest=figure(totals[-1], series.unit, lang, words),
        highest=figure(max(known), series.unit, lang, words),
    )


def view(
    tile: TileData, params: Any, title: str, lang: str, zone: str, words: dict[str, str]
) -> dict[str, Any]:
    """One tile as the template draws it, with the data the page's script starts from."""
    out: dict[str, Any] = {
        "index": tile.index,
        "chart": tile.chart,
        "title": title,
        "period": period(params, lang, zone, words),
        "error": tile.error.message if tile.error else None,
        "json": tile.model_dump(mode="json", by_alias=True, exclude_none=True),
        "number": None,
        "table": {"columns": [words["dashboards_value"]], "rows": []},
        "summary": words["dashboards_chart_empty"],
    }
    if isinstance(tile.data, KpiValue):
        kpi = tile.data
        out["number"] = {
            "value": figure(kpi.value, kpi.unit, lang, words),
            "previous": figure(kpi.previous.value, kpi.unit, lang, words),
            "change": change(kpi, lang, words),
        }
    elif isinstance(tile.data, Series):
        out["table"] = table(tile.data, lang, words)
        out["summary"] = summary(tile.data, lang, words)
    return out
