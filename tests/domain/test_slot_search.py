"""The slot finder against its definition by exhaustion on random small instances (every objective,
overlapping tag groups, named resources), each objective's tie-breaks, and the database path: buffers
against allocations, working hours in several time zones, loads from allocations."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db.models import AvailabilityRule, Resource
from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import ValidationFailed
from domain.scheduling.slot_search.schemas import Requirement, SearchQuery
from domain.scheduling.slot_search.service import (
    MAX_CANDIDATES,
    Candidate,
    Need,
    Option,
    Problem,
    brute_force,
    find,
    search,
)
from tests.booking_rows import write_booking

T0 = datetime(2026, 6, 1, tzinfo=UTC)
M = timedelta(minutes=1)
H = timedelta(hours=1)
OBJECTIVES = ("earliest", "prefer_resources", "balance_load")


def rid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def random_instance(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    tags = ["a", "b", "c"]
    candidates: list[Candidate] = []
    tagged: dict[str, set[uuid.UUID]] = {t: set() for t in tags}
    for n in range(rng.randint(3, 8)):
        cuts = sorted(rng.sample(range(0, 24 * 6), rng.choice([2, 4, 6])))  # 10-minute marks of the day
        free = [(T0 + c0 * 10 * M, T0 + c1 * 10 * M) for c0, c1 in zip(cuts[::2], cuts[1::2], strict=True)]
        load = rng.choice([0, 1, 1, 2, 5]) * H  # repeated loads exercise the id tie-break
        candidates.append(Candidate(rid(rng.randint(1, 10**9)), f"r{n}", free, load))
        for t in rng.sample(tags, rng.choice([1, 1, 2])):  # some resources carry two tags
            tagged[t].add(candidates[-1].id)
    needs = [Need(frozenset(tagged[t]), rng.randint(1, 2)) for t in rng.sample(tags, rng.randint(1, 3))]
    if rng.random() < 0.4:  # a named resource, which may also be in a tag group
        needs.append(Need(frozenset([rng.choice(candidates).id]), 1))
    return {
        "needs": needs,
        "candidates": candidates,
        "duration": rng.choice([30, 60, 90]) * M,
        "granularity": 30 * M,
        "start": T0 + rng.choice([0, 20, 60]) * M,
        "end": T0 + 24 * H,
        "objective": rng.choice(OBJECTIVES),
        "preferred": [c.id for c in candidates if rng.random() < 0.4],
        "limit": rng.choice([1, 3, 10, 50]),
    }


def summary(options: list[Option]) -> list[tuple[Any, ...]]:
    return [(o.start, o.end, o.chosen, o.rank) for o in options]


@pytest.mark.parametrize("seed", range(400))
def test_the_finder_gives_the_same_options_in_the_same_order_as_exhaustion(seed: int) -> None:
    case = random_instance(seed)
    options, _, _ = find(Problem(**case))
    assert summary(options) == summary(brute_force(Problem(**case)))
    for o in options:  # no resource used twice, each where it may be used, every place filled
        used = [r for r, _ in o.chosen]
        assert len(used) == len(set(used))
        assert all(r in case["needs"][j].eligible for r, j in o.chosen)
        assert len(used) == sum(n.count for n in case["needs"])


def day(*spans: tuple[int, int]) -> list[tuple[datetime, datetime]]:
    return [(T0 + a * H, T0 + b * H) for a, b in spans]


def test_earliest_takes_the_first_start_and_the_smallest_ids() -> None:
    s1, s2 = Candidate(rid(2), "s1", day((9, 12))), Candidate(rid(1), "s2", day((10, 12)))
    room = Candidate(rid(3), "room", day((8, 12)))
    needs = [Need(frozenset([rid(1), rid(2)]), 1), Need(frozenset([rid(3)]), 1)]
    options, starts, _ = find(Problem(needs, [s1, s2, room], H, 30 * M, T0, T0 + 24 * H, limit=3))
    assert starts == 47
    assert [(o.start, o.chosen) for o in options] == [
        (T0 + 9 * H, ((rid(2), 0), (rid(3), 1))),  # only s1 is free at 9:00
        (T0 + 9.5 * H, ((rid(2), 0), (rid(3), 1))),
        (T0 + 10 * H, ((rid(1), 0), (rid(3), 1))),  # both free: the smaller id
    ]


def test_prefer_resources_puts_preferred_first_then_earliest() -> None:
    a = Candidate(rid(1), "a", day((8, 18)))
    b = Candidate(rid(2), "b", day((14, 18)))
    needs = [Need(frozenset([rid(1), rid(2)]), 1)]
    options, _, _ = find(Problem(needs, [a, b], H, H, T0, T0 + 24 * H, "prefer_resources", [rid(2)], limit=6))
    assert [(o.start.hour, o.chosen[0][0], o.preferred) for o in options] == [
        (14, rid(2), 1),
        (15, rid(2), 1),
        (16, rid(2), 1),
        (17, rid(2), 1),
        (8, rid(1), 0),
        (9, rid(1), 0),
    ]


def test_balance_load_minimises_the_largest_then_the_total_load() -> None:
    busy = Candidate(rid(1), "busy", day((8, 18)), 6 * H)
    idle = Candidate(rid(2), "idle", day((12, 14)), 0 * H)
    mid = Candidate(rid(3), "mid", day((8, 18)), 2 * H)
    room = Candidate(rid(4), "room", day((8, 18)), 1 * H)
    needs = [Need(frozenset([rid(1), rid(2), rid(3)]), 1), Need(frozenset([rid(4)]), 1)]
    options, _, _ = find(
        Problem(needs, [busy, idle, mid, room], H, H, T0, T0 + 24 * H, "balance_load", limit=20)
    )
    first = options[0]
    assert (first.start.hour, first.chosen[0][0], first.max_load, first.total_load) == (12, rid(2), H, H)
    assert [o.start.hour for o in options[:2]] == [12, 13]  # the idle resource, earliest first
    assert {o.chosen[0][0] for o in options[2:]} == {rid(3)}  # then the less loaded of the others
    assert all(o.max_load == 2 * H for o in options[2:])


def test_a_resource_with_two_tags_moves_to_where_it_is_needed() -> None:
    both = Candidate(rid(1), "both", day((9, 10)))  # surgeon and anaesthetist
    surgeon = Candidate(rid(2), "surgeon", day((9, 10)))
    needs = [Need(frozenset([rid(1), rid(2)]), 1), Need(frozenset([rid(1)]), 1)]
    options, _, _ = find(Problem(needs, [both, surgeon], H, H, T0, T0 + 24 * H))
    # Greedy per group would give "both" to the first requirement and leave the second empty.
    assert [o.chosen for o in options] == [((rid(2), 0), (rid(1), 1))]
    three = [Need(frozenset([rid(1), rid(2)]), 2), Need(frozenset([rid(1)]), 1)]
    assert find(Problem(three, [both, surgeon], H, H, T0, T0 + 24 * H))[0] == []  # no double use


def test_limit_and_a_start_off_the_grid() -> None:
    a = Candidate(rid(1), "a", [(T0 + 9 * H + 7 * M, T0 + 12 * H)])
    needs = [Need(frozenset([rid(1)]), 1)]
    options, _, _ = find(Problem(needs, [a], H, 15 * M, T0 + 3 * M, T0 + 11 * H, limit=2))
    assert [o.start for o in options] == [T0 + 9 * H + 15 * M, T0 + 9 * H + 30 * M]
    # The slot ends by the window's end: 9:15, 9:30, 9:45, 10:00.
    assert len(find(Problem(needs, [a], H, 15 * M, T0, T0 + 11 * H, limit=50))[0]) == 4


# -- with the database ---------------------------------------------------------------------------


@pytest.fixture
def session(engine: Engine, tenant: Any) -> Iterator[Session]:
    with tenant_session(engine, tenant.id) as s:
        yield s


@pytest.fixture
def ctx(tenant: Any) -> TenantContext:
    return TenantContext.system(tenant.id, tenant.domain)


@pytest.fixture
def make_resource(session: Session, ctx: TenantContext) -> Callable[..., Resource]:
    def make(name: str, zone: str, tags: list[str], hours: tuple[str, str], *, after: int = 0) -> Resource:
        resource = Resource(
            tenant_id=ctx.tenant_id,
            name=name,
            kind="person",
            capacity=1,
            timezone=zone,
            tags=tags,
            buffer_before_seconds=0,
            buffer_after_seconds=after,
            active=True,
        )
        session.add(resource)
        session.flush()
        session.add(
            AvailabilityRule(
                tenant_id=ctx.tenant_id,
                resource_id=resource.id,
                kind="weekly",
                weekdays=list(range(7)),
                start_time=time.fromisoformat(hours[0]),
                end_time=time.fromisoformat(hours[1]),
                exdates=[],
            )
        )
        session.flush()
        return resource

    return make


def allocate(
    session: Session, ctx: TenantContext, resource: Resource, start: datetime, end: datetime
) -> None:
    write_booking(session, ctx, [resource], start, end)


def query(*requirements: Requirement, **extra: Any) -> SearchQuery:
    base: dict[str, Any] = {
        "requirements": list(requirements),
        "duration": H,
        "start": T0,
        "end": T0 + 24 * H,
        "granularity": 30 * M,
        "objective": "earliest",
        "preferred": [],
        "limit": 5,
    }
    return SearchQuery(**(base | extra))


def test_time_zones_and_buffers_from_the_database(session, ctx, make_resource) -> None:
    tag = f"surgeon-{uuid.uuid4().hex[:6]}"
    paris = make_resource("paris", "Europe/Paris", [tag], ("09:00", "17:00"), after=1800)  # 07-15 UTC
    new_york = make_resource("ny", "America/New_York", [tag], ("09:00", "17:00"))  # 13-21 UTC
    room = make_resource(
        "room", "Australia/Sydney", ["room-" + tag], ("00:00", "00:00")
    )  # 00:00 as an end: midnight
    # Paris is busy 07:00-13:00 UTC; its 30-minute buffer keeps it busy until 13:30.
    allocate(session, ctx, paris, T0 + 7 * H, T0 + 13 * H)
    found = search(
        session, ctx, query(Requirement(tag, None, 1), Requirement("room-" + tag, None, 1), limit=3), now=T0
    )
    assert [(o.start, o.chosen) for o in found.options] == [
        (T0 + 13 * H, ((new_york.id, 0), (room.id, 1))),  # Paris is still in its buffer
        (T0 + 13.5 * H, ((min(paris.id, new_york.id), 0), (room.id, 1))),
        (T0 + 14 * H, ((min(paris.id, new_york.id), 0), (room.id, 1))),
    ]
    assert found.eligible == [2, 1]
    balanced = search(
        session, ctx, query(Requirement(tag, None, 1), objective="balance_load", limit=1), now=T0
    )
    assert balanced.candidates[paris.id].load == 6.5 * H  # the allocation's span, buffer included
    assert balanced.options[0].chosen == ((new_york.id, 0),) and balanced.options[0].start == T0 + 13 * H
    named = search(session, ctx, query(Requirement(None, paris.id, 1), Requirement(tag, None, 1)), now=T0)
    # Paris fills the named place; the tag's place needs someone else: New York.
    assert named.options[0].chosen == ((paris.id, 0), (new_york.id, 1))
    assert named.options[0].start == T0 + 13.5 * H


def _alternating(n: int) -> tuple[list[uuid.UUID], list[Candidate]]:
    """n resources free every other hour for a month (half of them on the even hours)."""
    ids = sorted(uuid.uuid4() for _ in range(n))
    free = [[(T0 + (2 * h + k % 2) * H, T0 + (2 * h + k % 2 + 1) * H) for h in range(372)] for k in range(n)]
    return ids, [Candidate(rid, f"r{k}", free[k]) for k, rid in enumerate(ids)]


@pytest.mark.parametrize(("n", "shared"), [(200, True), (1000, False)])
def test_a_search_too_large_to_finish_in_a_second_is_refused(n: int, shared: bool) -> None:
    ids, candidates = _alternating(n)
    needs = [Need(frozenset(ids), 5)] + ([Need(frozenset(ids[: n // 2]), 5)] if shared else [])
    started = datetime.now(UTC)
    with pytest.raises(ValidationFailed) as err:
        find(Problem(needs, candidates, 30 * M, 5 * M, T0, T0 + 31 * 24 * H, "balance_load", limit=50))
    assert err.value.fields[0].field == "window" and "too large" in err.value.fields[0].message
    assert datetime.now(UTC) - started < timedelta(seconds=3)
    # The same candidates over a day at a coarser grid are searched.
    options, _, _ = find(Problem(needs, candidates, 30 * M, 30 * M, T0, T0 + 24 * H, "balance_load", limit=5))
    assert len(options) == 5


def test_more_candidates_than_may_be_searched(session, ctx) -> None:
    tag = f"crowd-{uuid.uuid4().hex[:6]}"
    session.add_all(
        Resource(
            tenant_id=ctx.tenant_id,
            name=f"r{i}",
            kind="person",
            capacity=1,
            timezone="UTC",
            tags=[tag],
            buffer_before_seconds=0,
            buffer_after_seconds=0,
            active=True,
        )
        for i in range(MAX_CANDIDATES + 1)
    )
    session.flush()
    with pytest.raises(ValidationFailed) as err:
        search(session, ctx, query(Requirement(tag, None, 1)), now=T0)
    assert err.value.fields[0].field == "requirements"
    assert f"at most {MAX_CANDIDATES}" in err.value.fields[0].message
