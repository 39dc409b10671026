"""POST /availability/search: the body, and its checks across fields (each names its field)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from domain.durations import parse_duration
from domain.errors import FieldError, ValidationFailed
from domain.instants import Instant
from domain.scheduling.availability.schemas import MIN_GRANULARITY
from domain.scheduling.resources.schemas import Tag

MAX_REQUIREMENTS = 10
MAX_COUNT = 10
MAX_PREFERRED = 50
MAX_WINDOW = timedelta(days=31)
DEFAULT_OPTIONS = 10
MAX_OPTIONS = 50

Objective = Literal["earliest", "prefer_resources", "balance_load"]


class RequirementIn(BaseModel):
    """``count`` resources carrying ``tag``, or the one resource named."""

    model_config = ConfigDict(extra="forbid")

    tag: Tag | None = None
    resource: uuid.UUID | None = None
    count: int = Field(default=1, ge=1, le=MAX_COUNT)


class WindowIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Instant = Field(alias="from")
    to: Instant


class PreferencesIn(BaseModel):
    """Exactly one of them."""

    model_config = ConfigDict(extra="forbid")

    earliest: bool | None = None
    prefer_resources: list[uuid.UUID] | None = Field(default=None, max_length=MAX_PREFERRED)
    balance_load: bool | None = None


class SlotSearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requirements: list[RequirementIn] = Field(max_length=MAX_REQUIREMENTS)
    duration: str = Field(description="ISO 8601, e.g. PT2H; a whole number of granularity steps")
    window: WindowIn
    granularity: str = Field(default="PT15M", description="ISO 8601, at least PT5M")
    preferences: PreferencesIn | None = None
    limit: int = Field(default=DEFAULT_OPTIONS, ge=1, le=MAX_OPTIONS)


@dataclass(frozen=True)
class Requirement:
    tag: str | None
    resource_id: uuid.UUID | None
    count: int


@dataclass(frozen=True)
class SearchQuery:
    requirements: list[Requirement]
    duration: timedelta
    start: datetime
    end: datetime
    granularity: timedelta
    objective: Objective
    preferred: list[uuid.UUID]
    limit: int


def _span(name: str, raw: str, bad: list[FieldError]) -> timedelta | None:
    try:
        return parse_duration(raw)
    except ValueError as exc:
        bad.append(FieldError(name, str(exc)))
        return None


def _objective(prefs: PreferencesIn | None, bad: list[FieldError]) -> tuple[Objective, list[uuid.UUID]]:
    if prefs is None:
        return "earliest", []
    chosen: list[Objective] = []
    if prefs.earliest is not None:
        chosen.append("earliest")
    if prefs.prefer_resources is not None:
        chosen.append("prefer_resources")
    if prefs.balance_load is not None:
        chosen.append("balance_load")
    if len(chosen) != 1:
        what = "two or more were given" if chosen else "none was given"
        bad.append(
            FieldError(
                "preferences", f"name exactly one of earliest, prefer_resources, balance_load ({what})"
            )
        )
        return "earliest", []
    if prefs.earliest is False or prefs.balance_load is False:
        bad.append(FieldError(f"preferences.{chosen[0]}", "must be true (omit preferences for earliest)"))
    if prefs.prefer_resources is not None and not prefs.prefer_resources:
        bad.append(FieldError("preferences.prefer_resources", "name at least one resource id"))
    return chosen[0], list(dict.fromkeys(prefs.prefer_resources or []))


def check(body: SlotSearchIn) -> SearchQuery:
    """Every problem at once, each under its own field; unknown tags and ids are checked by the search."""
    bad: list[FieldError] = []
    if not body.requirements:
        bad.append(FieldError("requirements", "name at least one requirement: {tag, count} or {resource}"))
    named: set[uuid.UUID] = set()
    requirements: list[Requirement] = []
    for i, req in enumerate(body.requirements):
        if (req.tag is None) == (req.resource is None):
            bad.append(FieldError(f"requirements.{i}", "give either a tag (with a count) or a resource"))
            continue
        if req.resource is not None:
            if req.count != 1:
                bad.append(
                    FieldError(f"requirements.{i}.count", "a named resource fills one place: omit count")
                )
            if req.resource in named:
                bad.append(FieldError(f"requirements.{i}.resource", "names a resource already required"))
            named.add(req.resource)
        requirements.append(Requirement(req.tag.lower() if req.tag else None, req.resource, req.count))
    length = _span("duration", body.duration, bad)
    step = _span("granularity", body.granularity, bad)
    if step is not None and step < MIN_GRANULARITY:
        bad.append(FieldError("granularity", "must be at least PT5M"))
    elif step is not None and length is not None and length % step:
        bad.append(FieldError("duration", "must be a whole number of granularity steps"))
    lo, hi = body.window.from_.astimezone(UTC), body.window.to.astimezone(UTC)
    if hi <= lo:
        bad.append(FieldError("window.to", "must be after window.from"))
    elif hi - lo > MAX_WINDOW:
        bad.append(FieldError("window.to", "the window may not exceed 31 days"))
    elif length is not None and length > hi - lo:
        bad.append(FieldError("duration", "is longer than the window"))
    objective, preferred = _objective(body.preferences, bad)
    if bad or length is None or step is None:
        raise ValidationFailed(bad)
    return SearchQuery(requirements, length, lo, hi, step, objective, preferred, body.limit)
