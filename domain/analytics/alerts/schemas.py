"""Alert rules in and out, the parameters of each condition, incidents and evaluations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from domain.analytics.schemas import SLUG, Grain

Condition = Literal["threshold", "change", "anomaly"]
State = Literal["firing", "normal", "insufficient_history", "no_data", "error"]
Status = Literal["open", "resolved"]
MAX_WINDOW = 100  # buckets: a hundred months still fits the ten years a query may span
MIN_LOOKBACK, MAX_LOOKBACK = 28, 2000
DEFAULT_SEASON = {"hour": 24, "day": 7}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThresholdParams(_Strict):
    """The metric over the last ``window`` complete ``grain`` buckets compared with ``value``."""

    op: Literal[">", ">=", "<", "<="]
    value: float
    grain: Grain | None = Field(default=None, description="default: the metric's (day where declared)")
    window: int = Field(default=1, ge=1, le=MAX_WINDOW, description="complete buckets of `grain`")


class ChangeParams(_Strict):
    """The metric over the last ``window`` complete buckets against the period of the same length just
    before: fires on a change of at least ``percent`` % or ``absolute`` units in ``direction``."""

    percent: float | None = Field(default=None, gt=0, le=1_000_000)
    absolute: float | None = Field(default=None, gt=0)
    direction: Literal["up", "down", "either"] = "either"
    grain: Grain | None = None
    window: int = Field(default=1, ge=1, le=MAX_WINDOW)

    @model_validator(mode="after")
    def _one_size(self) -> ChangeParams:
        if (self.percent is None) == (self.absolute is None):
            raise ValueError("give either `percent` or `absolute`")
        return self


class AnomalyParams(_Strict):
    """The last complete bucket against an STL decomposition of the ``lookback`` buckets before it."""

    grain: Literal["hour", "day"] = "day"
    season: int = Field(default=7, ge=2, le=MAX_LOOKBACK // 2, description="buckets per season (7 daily)")
    lookback: int = Field(default=56, ge=MIN_LOOKBACK, le=MAX_LOOKBACK, description="buckets of history")
    z: float = Field(default=3.5, gt=0, le=100, description="robust z-score beyond which a point fires")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, given: Any) -> Any:
        """A season of a day of hours or a week of days, and eight seasons of history, unless given."""
        if not isinstance(given, dict):
            return given
        out = dict(given)
        grain = out.get("grain", "day")
        season = out.setdefault("season", DEFAULT_SEASON.get(grain, 7) if isinstance(grain, str) else 7)
        if isinstance(season, int):
            out.setdefault("lookback", min(max(MIN_LOOKBACK, 8 * season), MAX_LOOKBACK))
        return out

    @model_validator(mode="after")
    def _two_seasons(self) -> AnomalyParams:
        if self.lookback < 2 * self.season:
            raise ValueError(f"`lookback` must hold two seasons at least ({2 * self.season} buckets)")
        return self


PARAMS: dict[str, type[ThresholdParams | ChangeParams | AnomalyParams]] = {
    "threshold": ThresholdParams,
    "change": ChangeParams,
    "anomaly": AnomalyParams,
}


class AlertIn(_Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    metric: str = Field(pattern=SLUG, max_length=64)
    condition: Condition
    params: dict[str, Any] = Field(default_factory=dict, description="per condition; see the README")
    filter: dict[str, list[str]] = Field(default_factory=dict, max_length=8)
    notify: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="user ids or emails of the tenant's active users, or `role:<name>`",
    )
    enabled: bool = True


class AlertPatch(_Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    metric: str | None = Field(default=None, pattern=SLUG, max_length=64)
    condition: Condition | None = None
    params: dict[str, Any] | None = None
    filter: dict[str, list[str]] | None = Field(default=None, max_length=8)
    notify: list[str] | None = Field(default=None, max_length=50)
    enabled: bool | None = None


class AlertOut(BaseModel):
    id: uuid.UUID
    name: str | None = None
    description: str | None = None
    metric: str
    condition: Condition
    params: dict[str, Any]
    filter: dict[str, list[str]]
    notify: list[str] = Field(description="as notified: `user:<email>` or `role:<name>`")
    enabled: bool
    state: State | None = Field(default=None, description="the last evaluation's")
    evaluated_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class IncidentOut(BaseModel):
    id: uuid.UUID
    alert_id: uuid.UUID
    status: Status
    opened_at: datetime
    resolved_at: datetime | None = None
    observed_at: str | None = Field(default=None, description="the observed bucket's start, local time")
    observed: float | None = None
    expected_low: float | None = None
    expected_high: float | None = None
    reason: str
    resolution: str | None = None


class Evaluation(BaseModel):
    alert_id: uuid.UUID
    metric: str
    condition: Condition
    state: State
    firing: bool
    observed: float | None = None
    observed_at: str | None = None
    expected_low: float | None = None
    expected_high: float | None = None
    z: float | None = Field(default=None, description="anomaly: the observed point's robust z-score")
    previous: float | None = Field(default=None, description="change: the period before's figure")
    reason: str
    incident: IncidentOut | None = Field(
        default=None, description="the incident open after this evaluation, or the one it resolved"
    )
    evaluated_at: datetime
