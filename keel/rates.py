"""Rates as settings write them: ``1000/hour``, and tiers: ``free=1000/hour,standard=10000/hour``."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(second|minute|hour|day)\s*$")
_TIER = re.compile(r"^[a-z0-9_-]{1,50}$")


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, value: str) -> Rate:
        found = _RATE.match(value)
        if found is None or int(found.group(1)) < 1:
            raise ValueError(f"{value!r} is not a rate such as 1000/hour (per second, minute, hour or day)")
        return cls(int(found.group(1)), _UNITS[found.group(2)])


def parse_tiers(value: str) -> dict[str, Rate]:
    """``tier=rate`` pairs, comma separated; at least one."""
    tiers: dict[str, Rate] = {}
    for pair in value.split(","):
        name, sep, rate = pair.partition("=")
        name = name.strip().lower()
        if not sep or not _TIER.match(name):
            raise ValueError(f"{pair.strip()!r} is not tier=rate (e.g. free=1000/hour)")
        tiers[name] = Rate.parse(rate)
    return tiers
