"""What a prediction answers: the figure, its interval, and the model behind it with its back-tested
quality (measured on the newest fifth of the history, the model trained on the older rest)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["process_completion", "no_show"]
Grain = Literal["day", "week", "month"]


class ModelInfo(BaseModel):
    kind: Kind
    trained_at: datetime
    samples: int = Field(description="rows the model was trained on")
    quality: dict[str, float | int | None] = Field(
        description="back-tested on the newest 20% of the history, the model fitted on the older 80%"
    )


class Remaining(BaseModel):
    """Seconds still to go: the median expected, and the 10th to 90th percentile."""

    expected: float
    low: float
    high: float


class CompletionPrediction(BaseModel):
    process_id: uuid.UUID
    definition: str
    ended: bool = Field(description="true: the process has ended and its actual end is answered")
    started_at: datetime
    elapsed_seconds: float
    expected_completion_at: datetime
    completion_interval: tuple[datetime, datetime] = Field(description="10th and 90th percentile")
    remaining_seconds: Remaining
    breach_probability: float | None = Field(
        description="the probability that a due date of the process is missed (1 once one was)"
    )
    breach_note: str | None = Field(default=None, description="why breach_probability is null")
    model: ModelInfo | None = Field(description="null for a process that has ended")


class NoShowPrediction(BaseModel):
    booking_id: uuid.UUID
    probability: float
    base_rate: float = Field(description="the share of no-shows among the tenant's bookings that ended")
    outcome: str | None = Field(default=None, description="completed or no_show once known; then exact")
    model: ModelInfo | None


class ForecastPoint(BaseModel):
    start: str
    value: float
    lower: float
    upper: float


class ForecastQuality(BaseModel):
    held_out: int = Field(description="the newest buckets left out of the fit to measure these")
    mae: float
    mape: float | None = Field(description="over held-out buckets whose value is not zero")


class Forecast(BaseModel):
    metric: str
    version: int
    grain: Grain
    timezone: str
    unit: str | None
    history: int = Field(description="buckets the forecast was fitted on")
    season: int | None = Field(description="buckets per season (7 days, 12 months); null: trend only")
    points: list[ForecastPoint]
    quality: ForecastQuality
