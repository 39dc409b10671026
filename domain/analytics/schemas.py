"""A metric declaration (the YAML format, ``definitions/metrics/schema.json``) and what queries answer."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Agg = Literal["count", "count_distinct", "sum", "avg", "min", "max", "p50", "p90", "p95", "p99"]
Grain = Literal["hour", "day", "week", "month"]
GRAINS: tuple[Grain, ...] = ("hour", "day", "week", "month")
MERGEABLE: frozenset[str] = frozenset({"count", "sum", "avg", "min", "max"})
"""What rollups answer exactly; percentiles and distinct counts are computed from the facts."""
PERCENTILES = {"p50": 0.5, "p90": 0.9, "p95": 0.95, "p99": 0.99}
SLUG = r"^[a-z][a-z0-9_-]{0,63}$"
NAME = r"^[a-z][a-z0-9_]{0,63}$"
FIELD = r"^([a-z][a-z0-9_]{0,63}|attribute:[A-Za-z_][A-Za-z0-9_]{0,63})$"
"""A source's field or dimension; ``attribute:<name>`` for an entity type's attribute."""

BUCKET = timedelta(minutes=15)
"""Rollup buckets: every real UTC offset is a multiple of 15 minutes, so a local hour, day, week or
month (DST included) is a whole number of them."""
LOOKBACK = 4
"""Closed buckets folded again at each fold, for facts recorded late."""
MAX_BUCKETS = 10_000
MAX_GROUPS = 1_000
MAX_YEARS = 10
STATEMENT_TIMEOUT_MS = 10_000
"""What one query may take; a fold gets six times as long."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(_Strict):
    agg: Agg
    field: str | None = Field(default=None, pattern=FIELD, description="what is measured; not for count")


class Filter(_Strict):
    dimension: str = Field(pattern=FIELD)
    op: Literal["eq", "ne", "in", "not_in"]
    value: str | None = Field(default=None, max_length=200, description="for eq and ne")
    values: list[str] | None = Field(
        default=None, min_length=1, max_length=100, description="for in and not_in"
    )

    @model_validator(mode="after")
    def _operand(self) -> Filter:
        single = self.op in ("eq", "ne")
        if single and (self.value is None or self.values is not None):
            raise ValueError(f"'{self.op}' takes one 'value'")
        if not single and (self.values is None or self.value is not None):
            raise ValueError(f"'{self.op}' takes a list 'values'")
        return self

    @property
    def operands(self) -> list[str]:
        return [self.value] if self.value is not None else list(self.values or [])


class MetricDeclaration(_Strict):
    """A declared metric: what is measured (``measure``) over which facts (``source``, ``filters``),
    sliced by what (``dimensions``), in which time grains."""

    name: str = Field(pattern=SLUG, description="the metric's slug, unique in the tenant")
    version: int = Field(ge=1, le=1_000_000)
    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    source: str = Field(pattern=NAME, description="the facts: processes, tasks, bookings…")
    entity_type: str | None = Field(
        default=None, pattern=NAME, description="for source entity_records: the type's name"
    )
    measure: Measure
    dimensions: list[str] = Field(default_factory=list, max_length=8)
    filters: list[Filter] = Field(default_factory=list, max_length=20)
    grains: list[Grain] = Field(default_factory=lambda: list(GRAINS), min_length=1, max_length=4)


class MetricSummary(BaseModel):
    name: str
    version: int
    title: str
    description: str | None = None
    origin: Literal["shipped", "tenant"]
    sha256: str


class MetricOut(MetricSummary):
    source: str = Field(description="the declaration's YAML")
    declaration: dict[str, Any]
    unit: Literal["count", "seconds", "amount", "number"]


class Validation(BaseModel):
    valid: bool
    name: str
    version: int
    sha256: str


Value = int | float | str | None
"""A figure: a count (integer), seconds or another number (float), an amount (decimal string), or
None where nothing was measured (the average of no facts)."""


class Group(BaseModel):
    key: dict[str, str | None]
    value: Value


class Bucket(BaseModel):
    start: str = Field(description="the bucket's start in the asked time zone, RFC 3339")
    value: Value
    groups: list[Group] | None = None


class Series(BaseModel):
    metric: str
    version: int
    grain: Grain
    timezone: str
    start: str = Field(serialization_alias="from")
    end: str = Field(serialization_alias="to")
    unit: str
    buckets: list[Bucket]


class Previous(BaseModel):
    start: str = Field(serialization_alias="from")
    end: str = Field(serialization_alias="to")
    value: Value


class KpiValue(BaseModel):
    metric: str
    version: int
    start: str = Field(serialization_alias="from")
    end: str = Field(serialization_alias="to")
    unit: str
    value: Value
    previous: Previous
    change: Value
    change_ratio: float | None = Field(description="change / previous value; None when that is zero")


Chart = Literal["line", "bar", "number", "table", "heatmap"]
MAX_TILES = 24


class TileParams(_Strict):
    """A tile's query: a fixed window (``from``/``to``) or one ending now (``range``), and what series
    and value take besides."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: datetime | None = Field(default=None, alias="from", description="RFC 3339 with an offset")
    end: datetime | None = Field(default=None, alias="to", description="RFC 3339 with an offset")
    range: str | None = Field(
        default=None, max_length=32, description="an ISO 8601 duration ending now (P7D); default P7D"
    )
    grain: Grain | None = None
    group_by: str | None = Field(default=None, max_length=300, description="dimensions, comma-separated")
    timezone: str | None = Field(default=None, max_length=64)
    filter: dict[str, list[str]] = Field(default_factory=dict, max_length=8)


class Tile(_Strict):
    metric: str = Field(pattern=SLUG, max_length=64)
    chart: Chart
    params: TileParams = Field(default_factory=TileParams)


class DashboardIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    tiles: list[Tile] = Field(default_factory=list, max_length=MAX_TILES)


class DashboardPatch(_Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    tiles: list[Tile] | None = Field(default=None, max_length=MAX_TILES)


class DashboardOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None = None
    tiles: list[Tile]
    builtin: bool = Field(description="shipped with Keel: every tenant sees it, none may change it")
    created_at: datetime
    updated_at: datetime


class TileError(BaseModel):
    code: str
    message: str


class TileData(BaseModel):
    index: int
    metric: str
    chart: Chart
    data: Series | KpiValue | None = None
    error: TileError | None = None


class DashboardData(BaseModel):
    dashboard: uuid.UUID
    computed_at: datetime
    tiles: list[TileData]


ReportAgg = Literal["count", "sum", "avg", "min", "max"]
MAX_COLUMNS = 32


class ReportColumn(_Strict):
    """A dimension or a field of the source (or ``time``); with ``group_by``, a grouped dimension as it is
    or an aggregate of a field (``count`` of anything)."""

    field: str = Field(pattern=NAME)
    agg: ReportAgg | None = None

    @property
    def label(self) -> str:
        return self.field if self.agg is None else f"{self.agg}_{self.field}"


class ReportSort(_Strict):
    column: str = Field(max_length=80, description="a column's label: the field, or agg_field")
    direction: Literal["asc", "desc"] = "asc"


class ReportIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    source: str = Field(pattern=NAME, description="the facts: processes, tasks, bookings…")
    columns: list[ReportColumn] = Field(min_length=1, max_length=MAX_COLUMNS)
    filters: list[Filter] = Field(default_factory=list, max_length=20)
    group_by: list[str] = Field(default_factory=list, max_length=8)
    sort: list[ReportSort] = Field(default_factory=list, max_length=8)


class ReportPatch(_Strict):
    """The fields sent change; the report they make is checked whole against its source."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, pattern=NAME)
    columns: list[ReportColumn] | None = Field(default=None, min_length=1, max_length=MAX_COLUMNS)
    filters: list[Filter] | None = Field(default=None, max_length=20)
    group_by: list[str] | None = Field(default=None, max_length=8)
    sort: list[ReportSort] | None = Field(default=None, max_length=8)


class ReportOut(BaseModel):
    id: uuid.UUID
    name: str
    description: str | None = None
    source: str
    columns: list[ReportColumn]
    filters: list[Filter]
    group_by: list[str]
    sort: list[ReportSort]
    created_at: datetime
    updated_at: datetime


ReportFormat = Literal["csv", "json", "xlsx", "pdf"]
RunStatus = Literal["queued", "running", "completed", "failed", "cancelled"]


class RunIn(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    format: ReportFormat
    start: datetime | None = Field(default=None, alias="from", description="RFC 3339; facts at or after")
    end: datetime | None = Field(default=None, alias="to", description="RFC 3339; facts before")
    timezone: str | None = Field(
        default=None, max_length=64, description="times written in this IANA zone; default the tenant's"
    )


class RunOut(BaseModel):
    id: uuid.UUID
    report_id: uuid.UUID
    format: ReportFormat
    start: datetime | None = Field(default=None, serialization_alias="from")
    end: datetime | None = Field(default=None, serialization_alias="to")
    timezone: str
    status: RunStatus
    rows_total: int | None = Field(default=None, description="the rows the run writes, known once it runs")
    rows_written: int
    progress: float = Field(description="rows written / rows total, 0 to 1")
    error: str | None = None
    file_size: int | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class RunWork(BaseModel):
    """What the report-run workflow carries: which run of which tenant."""

    tenant_id: uuid.UUID
    run_id: uuid.UUID


class RunFailure(RunWork):
    error: str
