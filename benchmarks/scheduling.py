"""Scheduling at 200 resources, 90 days and 50,000 existing bookings, through the REST API.

Starts a private stack (embedded PostgreSQL, Temporal dev server, `keel worker`, `keel api`), creates
200 resources through the API (tags surgeon, anaesthetist, nurse, or-room, imaging, consult-room,
equipment; ten anaesthetists are nurses too; time zones Paris, New York and Sydney; weekly hours in
local time; rooms with a 15-minute after-buffer), writes 50,000 bookings with their allocations by
COPY (non-overlapping, buffers kept clear, within opening hours), then measures:

1. GET /availability for 5 resources of one zone over 30 days (PT1H, PT15M): p50/p95/p99;
2. POST /availability/search, 3 requirement groups (surgeon, anaesthetist, or-room) over 14 days,
   the objectives in turn: p50/p95/p99;
3. POST /bookings (requires_confirmation=false: confirmed at once, its workflow started) at a
   concurrency of 8, each on a free slot: bookings/s and p50/p95/p99;
4. the slot finder against the brute-force scan (every grid start, every combination of free
   resources) on the same loaded data in this process: same options asserted, speed ratio.

    .venv/bin/python benchmarks/scheduling.py [--requests 300] [--bookings 1000] [--compare 3] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sys
import tempfile
import time as clock
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# The script's folder is on sys.path.
from results import record
from stack import BenchStack, arguments, make_tenant, percentiles, private_stack, timed

from db.session import make_engine, tenant_session
from domain.context import TenantContext
from domain.scheduling.slot_search import service as slot_search
from domain.scheduling.slot_search.schemas import Requirement, SearchQuery

ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney"]
GROUPS = [  # (tags, how many, kind)
    (["surgeon"], 30, "person"),
    (["anaesthetist"], 10, "person"),
    (["anaesthetist", "nurse"], 10, "person"),
    (["nurse"], 50, "person"),
    (["or-room"], 20, "room"),
    (["imaging"], 20, "equipment"),
    (["consult-room"], 30, "room"),
    (["equipment"], 30, "equipment"),
]
DAYS = 90
BOOKINGS = 50_000
UNIT = timedelta(minutes=30)


@dataclass
class Res:
    id: str
    zone: str
    tags: list[str]
    kind: str
    hours: tuple[time, time]
    weekdays: list[int]


def first_monday() -> date:
    today = datetime.now(UTC).date() + timedelta(days=2)
    return today + timedelta(days=(7 - today.weekday()) % 7)


def create_resources(api: httpx.Client) -> list[Res]:
    made: list[Res] = []
    n = 0
    for tags, count, kind in GROUPS:
        for _ in range(count):
            zone = ZONES[n % 3]
            room = kind == "room"
            hours = (time(7), time(20)) if room else (time(8), time(18))
            weekdays = [0, 1, 2, 3, 4, 5] if room else [0, 1, 2, 3, 4]
            body = {
                "name": f"{tags[0]} {n:03d}",
                "kind": kind,
                "timezone": zone,
                "tags": tags,
                "buffer_after": "PT15M" if room else None,
            }
            r = api.post("/api/v1/resources", json=body)
            r.raise_for_status()
            rid = r.json()["data"]["id"]
            rule = {
                "kind": "weekly",
                "weekdays": weekdays,
                "start": hours[0].strftime("%H:%M"),
                "end": hours[1].strftime("%H:%M"),
            }
            api.post(f"/api/v1/resources/{rid}/availability-rules", json=rule).raise_for_status()
            made.append(Res(rid, zone, tags, kind, hours, weekdays))
            n += 1
    return made


def day_bookings(res: Res, day: date, rng: random.Random) -> list[tuple[datetime, datetime]]:
    """Non-overlapping bookings inside the day's hours, at least 30 minutes apart (room buffers)."""
    tz = ZoneInfo(res.zone)
    at = datetime.combine(day, res.hours[0], tz)
    close = datetime.combine(day, res.hours[1], tz)
    out: list[tuple[datetime, datetime]] = []
    while True:
        at += rng.randint(0, 2) * UNIT
        end = at + rng.randint(1, 3) * UNIT
        if end > close:
            return out
        out.append((at.astimezone(UTC), end.astimezone(UTC)))
        at = end + UNIT


def existing_bookings(
    resources: list[Res], first: date, rng: random.Random
) -> list[tuple[Res, datetime, datetime]]:
    per = BOOKINGS // len(resources)
    chosen: list[tuple[Res, datetime, datetime]] = []
    for res in resources:
        every = [
            (res, s, e)
            for d in range(DAYS)
            if (first + timedelta(days=d)).weekday() in res.weekdays
            for s, e in day_bookings(res, first + timedelta(days=d), rng)
        ]
        chosen += rng.sample(every, per)
    return chosen


def copy_bookings(
    stack: BenchStack, tenant_id: uuid.UUID, rows: list[tuple[Res, datetime, datetime]]
) -> float:
    """Bookings and allocations written by COPY as the booking service would write them."""
    bookings, allocations = io.StringIO(), io.StringIO()
    for res, s, e in rows:
        bid = uuid.uuid4()
        bookings.write(
            f"{bid}\t{tenant_id}\tbench\tconfirmed\t{s.isoformat()}\t{e.isoformat()}\tf\tf\t{{}}\n"
        )
        upper = e + (timedelta(minutes=15) if res.kind == "room" else timedelta(0))
        span = f"[{s.isoformat()},{upper.isoformat()})"
        allocations.write(f"{uuid.uuid4()}\t{tenant_id}\t{bid}\t{res.id}\t{span}\tt\n")
    engine = make_engine(stack.settings.require_admin_url(), pool_size=1)
    raw = engine.raw_connection()
    started = clock.perf_counter()
    cur = raw.cursor()
    bookings.seek(0)
    allocations.seek(0)
    cur.copy_expert(
        "COPY bookings (id, tenant_id, subject, status, start_at, end_at, requires_confirmation, "
        "late_cancellation, details) FROM STDIN",
        bookings,
    )
    cur.copy_expert(
        "COPY allocations (id, tenant_id, booking_id, resource_id, span, active) FROM STDIN", allocations
    )
    cur.execute("ANALYZE bookings")
    cur.execute("ANALYZE allocations")
    raw.commit()
    elapsed = clock.perf_counter() - started
    raw.close()
    engine.dispose()
    return elapsed


def z(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def availability_latency(api: httpx.Client, resources: list[Res], first: date, count: int) -> list[float]:
    rng = random.Random(3)
    by_zone = {zone: [r for r in resources if r.zone == zone] for zone in ZONES}
    start = datetime.combine(first, time(0), UTC)

    def call(i: int) -> httpx.Response:
        picked = rng.sample(by_zone[ZONES[i % 3]], 5)
        lo = start + timedelta(days=rng.randint(0, DAYS - 30))
        params = {
            "resources": ",".join(r.id for r in picked),
            "duration": "PT1H",
            "granularity": "PT15M",
            "from": z(lo),
            "to": z(lo + timedelta(days=30)),
        }
        return api.get("/api/v1/availability", params=params)

    for i in range(20):
        call(i)
    return timed(call, count)


def search_body(i: int, rng: random.Random, first: date, surgeons: list[str]) -> dict[str, Any]:
    lo = datetime.combine(first, time(0), UTC) + timedelta(days=rng.randint(0, DAYS - 14))
    preferences: list[dict[str, Any]] = [
        {"earliest": True},
        {"prefer_resources": rng.sample(surgeons, 3)},
        {"balance_load": True},
    ]
    return {
        "requirements": [
            {"tag": "surgeon", "count": 1},
            {"tag": "anaesthetist", "count": 1},
            {"tag": "or-room", "count": 1},
        ],
        "duration": "PT2H",
        "window": {"from": z(lo), "to": z(lo + timedelta(days=14))},
        "granularity": "PT15M",
        "preferences": preferences[i % 3],
        "limit": 10,
    }


def search_latency(api: httpx.Client, resources: list[Res], first: date, count: int) -> list[float]:
    rng = random.Random(5)
    surgeons = [r.id for r in resources if "surgeon" in r.tags]
    for i in range(10):
        api.post("/api/v1/availability/search", json=search_body(i, rng, first, surgeons))
    return timed(
        lambda i: api.post("/api/v1/availability/search", json=search_body(i, rng, first, surgeons)), count
    )


async def booking_throughput(
    url: str, headers: dict[str, str], resources: list[Res], first: date, count: int, concurrency: int
) -> tuple[float, list[float]]:
    """Bookings on days after the pre-filled 90, one hour each, every (resource, hour) at most once."""
    slots = []
    for d in range(DAYS + 1, DAYS + 60):
        day = first + timedelta(days=d)
        for res in resources:
            if day.weekday() not in res.weekdays:
                continue
            tz = ZoneInfo(res.zone)
            for hour in range(res.hours[0].hour, res.hours[1].hour - 1, 2):  # 2 h apart: room buffers
                slots.append((res.id, datetime.combine(day, time(hour), tz).astimezone(UTC)))
    random.Random(9).shuffle(slots)
    queue = slots[: count + 20]
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as client:

        async def book(rid: str, at: datetime) -> float:
            body = {"resources": [rid], "start": z(at), "duration": "PT1H", "requires_confirmation": False}
            started = clock.perf_counter()
            r = await client.post("/api/v1/bookings", json=body)
            if r.status_code != 201:
                raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
            return (clock.perf_counter() - started) * 1000

        for _ in range(20):  # warm-up
            await book(*queue.pop())

        async def work() -> None:
            while queue:
                samples.append(await book(*queue.pop()))

        started = clock.perf_counter()
        await asyncio.gather(*(work() for _ in range(concurrency)))
        return count / (clock.perf_counter() - started), samples


def compare(
    stack: BenchStack, tenant_id: uuid.UUID, resources: list[Res], first: date, runs: int
) -> tuple[float, float]:
    """The finder and the brute force on the same loaded candidates: same options, and the time each;
    the mean seconds of one search by each."""
    engine = make_engine(stack.settings.require_database_url(), pool_size=1)
    ctx = TenantContext.system(tenant_id)
    rng = random.Random(13)
    surgeons = [uuid.UUID(r.id) for r in resources if "surgeon" in r.tags]
    objectives: list[Any] = ["earliest", "prefer_resources", "balance_load"]
    total_fast = total_brute = 0.0
    for i in range(runs):
        lo = datetime.combine(first, time(0), UTC) + timedelta(days=rng.randint(0, DAYS - 14))
        query = SearchQuery(
            requirements=[Requirement(t, None, 1) for t in ("surgeon", "anaesthetist", "or-room")],
            duration=timedelta(hours=2),
            start=lo,
            end=lo + timedelta(days=14),
            granularity=timedelta(minutes=15),
            objective=objectives[i % 3],
            preferred=rng.sample(surgeons, 3) if objectives[i % 3] == "prefer_resources" else [],
            limit=10,
        )
        started = clock.perf_counter()
        with tenant_session(engine, tenant_id) as session:
            needs, candidates = slot_search.prepare(session, ctx, query)
        loaded_ms = (clock.perf_counter() - started) * 1000
        window = (query.duration, query.granularity, query.start, query.end)
        problem = slot_search.Problem(
            needs, candidates, *window, query.objective, query.preferred, query.limit
        )
        started = clock.perf_counter()
        repeat = 5
        for _ in range(repeat):
            fast, starts, examined = slot_search.find(problem)
        fast_s = (clock.perf_counter() - started) / repeat
        started = clock.perf_counter()
        brute = slot_search.brute_force(problem)
        brute_s = clock.perf_counter() - started
        same = [(o.start, o.chosen, o.rank) for o in fast] == [(o.start, o.chosen, o.rank) for o in brute]
        assert same, f"the finder and the brute force differ for {query.objective}"
        total_fast += fast_s
        total_brute += brute_s
        print(
            f"  {query.objective:17s} {len(candidates)} candidates, {starts} starts ({examined} examined): "
            f"finder {fast_s * 1000:7.1f} ms, brute force {brute_s * 1000:8.0f} ms, "
            f"x{brute_s / fast_s:6.0f}, same {len(fast)} options (loading the data {loaded_ms:.0f} ms)"
        )
    print(f"  overall: finder x{total_brute / total_fast:.0f} faster, identical answers in {runs} runs")
    engine.dispose()
    return total_fast / runs, total_brute / runs


def show(name: str, samples: list[float], target: float | None = None) -> float:
    """Prints the percentiles; returns p95."""
    p50, p95, p99 = percentiles(samples)
    goal = f"   (target p95 <= {target:.0f} ms: {'met' if p95 <= target else 'MISSED'})" if target else ""
    print(f"{name:34s} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   p99 {p99:7.2f} ms{goal}")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests per read kind")
    parser.add_argument("--bookings", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--compare", type=int, default=3, help="finder vs brute force runs")
    args = arguments(parser, requests=50, bookings=100)
    with tempfile.TemporaryDirectory() as tmp, private_stack(Path(tmp), api=True) as stack:
        tenant = make_tenant(stack.settings)
        headers = tenant.headers
        api = tenant.client(stack)
        first = first_monday()
        resources = create_resources(api)
        rows = existing_bookings(resources, first, random.Random(1))
        took = copy_bookings(stack, tenant.id, rows)
        print(
            f"{len(resources)} resources in {len(ZONES)} zones, {len(rows)} bookings over {DAYS} days "
            f"from {first} (COPY {took:.1f} s)"
        )
        p95 = show(
            "GET /availability, 5 res, 30 d", availability_latency(api, resources, first, args.requests), 50
        )
        record(
            "scheduling", "GET /availability, 5 resources, 30 days, p95", p95, "ms", better="lower", target=50
        )
        p95 = show(
            "POST /availability/search 3x14 d", search_latency(api, resources, first, args.requests), 200
        )
        record(
            "scheduling",
            "POST /availability/search, 3 groups, 14 days, p95",
            p95,
            "ms",
            better="lower",
            target=200,
        )
        rate, samples = asyncio.run(
            booking_throughput(stack.api, headers, resources, first, args.bookings, args.concurrency)
        )
        print(
            f"POST /bookings (confirmed at once, workflow started), {args.concurrency} clients: {rate:.0f}/s"
        )
        show("  each booking", samples)
        record("scheduling", f"POST /bookings, {args.concurrency} clients", rate, "bookings/s")
        print("slot finder vs brute force (same data, same process):")
        finder, brute = compare(stack, tenant.id, resources, first, args.compare)
        record(
            "scheduling",
            "slot finder, one search",
            finder * 1000,
            "ms",
            baseline=brute * 1000,
            baseline_name="brute-force scan",
            better="lower",
        )
        api.close()


if __name__ == "__main__":
    main()
