"""Rows as feature matrices (pure: no database, no clock). Every feature of a row is one known at the
time the prediction is asked: a process's definition, version, how long it has run, when it started and
its open tasks; a booking's lead time, hour, weekday, length, resource and its person's no-shows among
the bookings that ended before it started (never a later one: no leakage)."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]
# How often each ended process is observed in training: at its start and at random moments while it ran
# (drawn from its id, so the same rows give the same samples). Fixed fractions would let the time
# already spent give the total away (at half-time, what is left equals what was spent).
SNAPSHOTS = 4
# A person's own no-show rate weighs like this many bookings at the tenant's base rate (few bookings
# say little about a person).
PRIOR_WEIGHT = 2.0
NO_SHOW, ATTENDED = "no_show", "completed"
MAX_RESOURCES = 50  # resources seen most often get their own category; the rest are one unknown
MAX_CATEGORIES = 250  # the most a tree's categorical feature takes (its bins)


@dataclass(frozen=True)
class ProcessRow:
    id: object
    definition: str
    version: int | None
    started_at: datetime
    ended_at: datetime | None
    first_breach: datetime | None = None
    tasks: tuple[tuple[datetime, datetime | None], ...] = ()  # (opened, closed or None)


@dataclass(frozen=True)
class BookingRow:
    id: object
    created_at: datetime
    start_at: datetime
    end_at: datetime
    status: str
    person: str | None = None
    resource: str | None = None


@dataclass
class Vocabulary:
    """Category values as indexes; a value not seen in training is unknown (NaN)."""

    values: list[str] = field(default_factory=list)

    def index(self, value: str | None) -> float:
        try:
            return float(self.values.index(value)) if value is not None else math.nan
        except ValueError:
            return math.nan


def vocabulary(values: Sequence[str | None], limit: int = MAX_RESOURCES) -> Vocabulary:
    counts: dict[str, int] = {}
    for v in values:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return Vocabulary(sorted(counts, key=lambda v: (-counts[v], v))[:limit])


def open_tasks(row: ProcessRow, at: datetime) -> int:
    return sum(1 for opened, closed in row.tasks if opened <= at and (closed is None or closed > at))


def process_features(row: ProcessRow, at: datetime, definitions: Vocabulary) -> list[float]:
    """[definition (categorical), version, log elapsed seconds, start hour, start weekday, open tasks]."""
    elapsed = max((at - row.started_at).total_seconds(), 0.0)
    return [
        definitions.index(row.definition),
        float(row.version or 0),  # 0: not recorded (a NaN-only column cannot be binned)
        math.log1p(elapsed),
        float(row.started_at.hour),
        float(row.started_at.weekday()),
        float(open_tasks(row, at)),
    ]


PROCESS_CATEGORICAL = [0]


@dataclass
class ProcessSamples:
    x: Matrix
    remaining: NDArray[np.float64]  # seconds
    breach_x: Matrix  # snapshots of processes with due dates not yet breached
    breached: NDArray[np.int64]  # 1: a due date was missed after the snapshot


def process_samples(
    rows: Sequence[ProcessRow], definitions: Vocabulary, with_sla: set[str]
) -> ProcessSamples:
    """Each ended process observed ``SNAPSHOTS`` times, in the order of ``rows``."""
    x, remaining, bx, breached = [], [], [], []
    for row in rows:
        assert row.ended_at is not None
        took = row.ended_at - row.started_at
        draw = random.Random(str(row.id))  # noqa: S311 - sampling, not secrecy
        for fraction in [0.0] + [draw.random() for _ in range(SNAPSHOTS - 1)]:
            at = row.started_at + took * fraction
            features = process_features(row, at, definitions)
            x.append(features)
            remaining.append((row.ended_at - at).total_seconds())
            if row.definition in with_sla and (row.first_breach is None or row.first_breach > at):
                bx.append(features)
                breached.append(int(row.first_breach is not None))
    return ProcessSamples(
        np.array(x, dtype=np.float64).reshape(-1, 6),
        np.array(remaining, dtype=np.float64),
        np.array(bx, dtype=np.float64).reshape(-1, 6),
        np.array(breached, dtype=np.int64),
    )


@dataclass
class History:
    """A person's bookings with a known outcome, by end: (end, 1 for a no-show)."""

    ends: list[datetime] = field(default_factory=list)
    no_shows: list[int] = field(default_factory=list)  # cumulative

    def before(self, at: datetime) -> tuple[int, int]:
        """(bookings, no-shows) among those that ended at or before ``at``."""
        n = bisect.bisect_right(self.ends, at)
        return n, (self.no_shows[n - 1] if n else 0)


def histories(rows: Sequence[BookingRow]) -> dict[str, History]:
    out: dict[str, History] = {}
    known = sorted((r for r in rows if r.person and r.status in (NO_SHOW, ATTENDED)), key=lambda r: r.end_at)
    for r in known:
        h = out.setdefault(r.person or "", History())
        h.ends.append(r.end_at)
        h.no_shows.append((h.no_shows[-1] if h.no_shows else 0) + (r.status == NO_SHOW))
    return out


def booking_features(
    row: BookingRow, past: tuple[int, int], base_rate: float, resources: Vocabulary
) -> list[float]:
    """[log lead hours, start hour, weekday, length minutes, resource (categorical), the person's
    smoothed no-show rate, the person's past bookings]."""
    count, no_shows = past
    lead = max((row.start_at - row.created_at).total_seconds() / 3600, 0.0)
    return [
        math.log1p(lead),
        float(row.start_at.hour),
        float(row.start_at.weekday()),
        (row.end_at - row.start_at) / timedelta(minutes=1),
        resources.index(row.resource),
        (no_shows + PRIOR_WEIGHT * base_rate) / (count + PRIOR_WEIGHT),
        float(count),
    ]


BOOKING_CATEGORICAL = [4]


def booking_matrix(
    rows: Sequence[BookingRow], people: dict[str, History], base_rate: float, resources: Vocabulary
) -> Matrix:
    """Each booking's features, its person's past counted up to the booking's start."""
    x = [
        booking_features(
            r, people[r.person].before(r.start_at) if r.person in people else (0, 0), base_rate, resources
        )
        for r in rows
    ]
    return np.array(x, dtype=np.float64).reshape(-1, 7)


def seasonal_features(index: Sequence[int], season: int | None) -> Matrix:
    """A forecast's features per bucket: its position (the trend) and one indicator per season slot."""
    t = np.array(index, dtype=np.float64).reshape(-1, 1)
    if not season:
        return t
    slots = np.zeros((len(index), season), dtype=np.float64)
    slots[np.arange(len(index)), np.array(index) % season] = 1.0
    return np.hstack([t, slots])
