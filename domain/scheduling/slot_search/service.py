"""Optimal slot finding: the best starts for a set of requirements ("a surgeon, an OR room and Dr X").

Candidate starts lie on the granularity grid of GET /availability (multiples of the granularity from
the Unix epoch, UTC). A resource can fill a requirement when it carries the tag (or is the resource
named) and its bookable time (open by its rules, clear of allocations with its buffers) contains the
whole slot. One resource fills at most one place in an option.

Objectives, each a total order (an option is one start and the best resources for it):

- ``earliest``: minimise the start.
- ``prefer_resources``: maximise how many of the chosen resources are preferred, then the start.
- ``balance_load``: minimise the largest load among the chosen resources, then the sum of their
  loads, then the start. A resource's load is its allocated time (buffers included) inside the window.

At one start the resources are chosen by a per-resource key: ``earliest`` the resource id;
``prefer_resources`` (not preferred, id); ``balance_load`` (load, id). The chosen set is the one whose
keys, sorted, are lexicographically smallest; within it each requirement in order takes the
smallest keys that still let the later requirements be filled.

Why this is exact. The sets of resources that can be matched to distinct places (a resource to a
place of a requirement it can fill) are the independent sets of a transversal matroid. The greedy
algorithm (take resources in key order, keep one when an augmenting path still matches all those
kept) returns a basis whose sorted key vector is smallest position by position among all bases
(Gale optimality of matroid greedy). Such a basis is at once lexicographically smallest, of the
smallest maximum and smallest sum of loads, and with the most preferred resources, so each objective
is optimal at every start, and the options, one per start, are then sorted by the objective.
A start is feasible exactly when the basis fills every place. With disjoint requirement groups the
augmenting path is one step and greedy is "the first ``count`` free resources of each group"; when a
resource can fill several requirements (two tags, or a named resource that also has a tag) the path
may move others (Kuhn's augmenting paths over requirement nodes with capacities).

Cost: at most four queries whatever the number of candidates (named resources, tagged ones, their
rules, their allocations); open time is computed once per zone and rule set and each resource's
bookable time once; a resource's feasible starts become one bit mask over the grid, and a start is
looked at only where every requirement has a free candidate (an AND of masks).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations
from math import ceil, floor
from typing import Any

from sqlalchemy.dialects.postgresql import array
from sqlalchemy.orm import Session

from db.models import AvailabilityRule, Resource
from domain.context import TenantContext
from domain.queries import live
from domain.scheduling.availability import service as availability
from domain.scheduling.errors import FieldError, ValidationFailed
from domain.scheduling.intervals import Interval, clip
from domain.scheduling.resources import service as resource_service
from domain.scheduling.slot_search.schemas import Objective, SearchQuery

EPOCH = availability.EPOCH
# Steps of the search (a candidate looked at, at a start; a place matched in an augmenting path) before it
# answers 422: about a second. A window of a month at 5 minutes with hundreds of candidates that can
# each fill several requirements costs far more, and is better narrowed than waited for.
MAX_SEARCH_WORK = 2_000_000
MAX_CANDIDATES = 500  # resources able to fill some requirement


@dataclass(frozen=True)
class Candidate:
    """A resource as the search sees it: where it may be booked in the window, and its load there."""

    id: uuid.UUID
    name: str
    free: list[Interval]
    load: timedelta = timedelta(0)


@dataclass(frozen=True)
class Need:
    """One requirement: ``count`` distinct resources among ``eligible``."""

    eligible: frozenset[uuid.UUID]
    count: int


@dataclass(frozen=True)
class Problem:
    """What ``find`` and ``brute_force`` solve: the requirements, who may fill them, the slot's length,
    the grid, the window, and how options rank."""

    needs: Sequence[Need]
    candidates: Sequence[Candidate]
    duration: timedelta
    granularity: timedelta
    start: datetime
    end: datetime
    objective: Objective = "earliest"
    preferred: Iterable[uuid.UUID] = ()
    limit: int = 10


@dataclass(frozen=True)
class Option:
    start: datetime
    end: datetime
    chosen: tuple[tuple[uuid.UUID, int], ...]  # (resource, requirement index), requirement by requirement
    rank: tuple[Any, ...]  # the objective's key, smaller is better
    preferred: int = 0
    max_load: timedelta = timedelta(0)
    total_load: timedelta = timedelta(0)


@dataclass
class Found:
    options: list[Option]
    candidates: dict[uuid.UUID, Candidate]
    eligible: list[int]  # resources able to fill each requirement
    starts: int  # grid starts in the window
    examined: int  # starts where every requirement had enough free candidates


def resource_key(objective: Objective, c: Candidate, preferred: frozenset[uuid.UUID]) -> tuple[Any, ...]:
    """The order resources are taken in at one start (module docstring)."""
    if objective == "prefer_resources":
        return (0 if c.id in preferred else 1, c.id)
    if objective == "balance_load":
        return (c.load, c.id)
    return (c.id,)


def option_rank(
    objective: Objective, start: datetime, preferred: int, max_load: timedelta, total_load: timedelta
) -> tuple[Any, ...]:
    if objective == "prefer_resources":
        return (-preferred, start)
    if objective == "balance_load":
        return (max_load, total_load, start)
    return (start,)


def grid(start: datetime, end: datetime, duration: timedelta, granularity: timedelta) -> tuple[datetime, int]:
    """The first grid start in the window and how many starts fit (the slot ends by ``end``)."""
    first = availability._ceil(start, granularity)
    if first + duration > end:
        return first, 0
    return first, (end - duration - first) // granularity + 1


def start_mask(
    free: Iterable[Interval], first: datetime, n: int, duration: timedelta, step: timedelta
) -> int:
    """Bit i set when [first + i*step, + duration) lies inside one free interval. Float seconds are
    exact here: whole seconds far below 2**53 (an instant with microseconds is never on the grid)."""
    mask = 0
    origin, step_s, length = first.timestamp(), step.total_seconds(), duration.total_seconds()
    for lo, hi in free:
        a = max(0, ceil((lo.timestamp() - origin) / step_s))
        b = min(n - 1, floor((hi.timestamp() - length - origin) / step_s))
        if b >= a:
            mask |= ((1 << (b - a + 1)) - 1) << a
    return mask


class _Matcher:
    """Kuhn's augmenting paths: resources (by their position in key order) on one side, requirements
    with capacities on the other."""

    def __init__(self, counts: Sequence[int], fills: Mapping[int, Sequence[int]]) -> None:
        self.counts = counts
        self.fills = fills
        self.placed: list[list[int]] = [[] for _ in counts]

    def add(self, k: int) -> bool:
        return self._augment(k, set())

    def _augment(self, k: int, seen: set[int]) -> bool:
        for j in self.fills[k]:
            if j in seen:
                continue
            seen.add(j)
            if len(self.placed[j]) < self.counts[j]:
                self.placed[j].append(k)
                return True
            for slot, other in enumerate(self.placed[j]):
                if self._augment(other, seen):
                    self.placed[j][slot] = k
                    return True
        return False


def _fill_all(counts: Sequence[int], fills: Mapping[int, Sequence[int]], pool: Iterable[int]) -> bool:
    matcher = _Matcher(counts, fills)
    total, size = sum(counts), 0
    for k in pool:
        if matcher.add(k):
            size += 1
            if size == total:
                return True
    return size == total


def choose(
    counts: Sequence[int], ordered: Sequence[int], fills: Mapping[int, Sequence[int]]
) -> list[list[int]] | None:
    """The best resources per requirement among ``ordered`` (the free ones, as positions in key order,
    ascending), or None when the places cannot all be filled. ``fills[k]``: the requirements k may fill.
    """
    matcher = _Matcher(counts, fills)
    total, size = sum(counts), 0
    basis: list[int] = []
    for k in ordered:
        if matcher.add(k):
            basis.append(k)
            size += 1
            if size == total:
                break
    if size < total:
        return None
    if all(len(fills[k]) == 1 for k in basis):  # forced: each resource fills one requirement
        return [sorted(p) for p in matcher.placed]
    # Shared resources: each requirement in order takes the smallest keys that leave the rest fillable.
    left = list(basis)
    out: list[list[int]] = []
    for j, count in enumerate(counts):
        taken: list[int] = []
        for _ in range(count):
            for k in left:
                if j not in fills[k]:
                    continue
                rest = [r for r in left if r != k]
                remaining = [count - len(taken) - 1, *counts[j + 1 :]]
                sub = {r: [i - j for i in fills[r] if i >= j] for r in rest}
                if _fill_all(remaining, sub, rest):
                    taken.append(k)
                    left = rest
                    break
        out.append(taken)
    return out


def _first_free(
    members: Sequence[Sequence[int]], counts: Sequence[int], masks: Sequence[int], i: int
) -> list[list[int]] | None:
    """Disjoint requirements: each takes its first ``count`` free members in key order."""
    out: list[list[int]] = []
    for group, count in zip(members, counts, strict=True):
        taken: list[int] = []
        for k in group:
            if (masks[k] >> i) & 1:
                taken.append(k)
                if len(taken) == count:
                    break
        if len(taken) < count:
            return None
        out.append(taken)
    return out


def find(problem: Problem) -> tuple[list[Option], int, int]:
    """The ``limit`` best options (pure: no database), the grid's size, and the starts examined."""
    needs, candidates, objective, limit = problem.needs, problem.candidates, problem.objective, problem.limit
    duration, granularity = problem.duration, problem.granularity
    pref = frozenset(problem.preferred)
    first, n = grid(problem.start, problem.end, duration, granularity)
    # Resources are numbered in key order: a smaller number is a better key.
    keyed = sorted(
        (c for c in candidates if any(c.id in need.eligible for need in needs)),
        key=lambda c: resource_key(objective, c, pref),
    )
    if len(keyed) * n > 4 * MAX_SEARCH_WORK:  # even the bit masks would take seconds
        raise _too_large(len(keyed), n)
    masks = [start_mask(c.free, first, n, duration, granularity) for c in keyed]
    fills = {k: [j for j, need in enumerate(needs) if c.id in need.eligible] for k, c in enumerate(keyed)}
    members = [[k for k in range(len(keyed)) if j in fills[k]] for j in range(len(needs))]
    counts = [need.count for need in needs]
    disjoint = all(len(f) == 1 for f in fills.values())
    # Only starts where every requirement has a free member are looked at (one AND of bit masks).
    possible = (1 << n) - 1
    for group in members:
        union = 0
        for k in group:
            union |= masks[k]
        possible &= union
    options: list[Option] = []
    examined = work = 0
    while possible:
        low = possible & -possible
        i = low.bit_length() - 1
        possible ^= low
        work += len(keyed) if disjoint else len(keyed) * (1 + sum(counts))
        if work > MAX_SEARCH_WORK:
            raise _too_large(len(keyed), n)
        if disjoint:
            picked = _first_free(members, counts, masks, i)
        else:
            free = [k for k in range(len(keyed)) if (masks[k] >> i) & 1]
            have = [0] * len(needs)
            for k in free:
                for j in fills[k]:
                    have[j] += 1
            enough = all(h >= c for h, c in zip(have, counts, strict=True))
            picked = choose(counts, free, fills) if enough else None
        examined += 1
        if picked is None:
            continue
        at = first + i * granularity
        chosen = tuple((keyed[k].id, j) for j, group in enumerate(picked) for k in group)
        loads = [keyed[k].load for group in picked for k in group]
        n_pref = sum(1 for rid, _ in chosen if rid in pref)
        top, total = max(loads), sum(loads, timedelta(0))
        rank = option_rank(objective, at, n_pref, top, total)
        options.append(Option(at, at + duration, chosen, rank, n_pref, top, total))
        if objective == "earliest" and len(options) >= limit:
            break  # starts come in order: nothing later can rank higher
    options.sort(key=lambda o: o.rank)
    return options[:limit], n, examined


def _too_large(candidates: int, starts: int) -> ValidationFailed:
    return ValidationFailed.one(
        "window",
        f"the search is too large ({candidates} candidate resources over {starts} starts): narrow the "
        "window, choose a coarser granularity, or requirements fewer resources can fill",
    )


# -- with the database ------------------------------------------------------------------------------


def _tagged(session: Session, ctx: TenantContext, tags: list[str]) -> list[Resource]:
    if not tags:
        return []
    return list(
        session.scalars(
            live(ctx, Resource).where(Resource.active.is_(True), Resource.tags.has_any(array(tags)))
        )
    )


def prepare(
    session: Session, ctx: TenantContext, query: SearchQuery, *, now: datetime | None = None
) -> tuple[list[Need], list[Candidate]]:
    """What ``find`` needs, in four queries: named resources, tagged ones, their rules, their allocations.
    Unknown ids are a 404, a tag nobody carries (or fewer than asked) a 422. A resource's free time
    starts no earlier than ``now`` (the clock by default) plus its minimum notice."""
    ctx.require("resources:read")
    named = [r.resource_id for r in query.requirements if r.resource_id is not None]
    wanted = list(dict.fromkeys([*named, *query.preferred]))
    by_id: dict[uuid.UUID, Resource] = {r.id: r for r in resource_service.get_many(session, ctx, wanted)}
    tags = sorted({r.tag for r in query.requirements if r.tag is not None})
    for r in _tagged(session, ctx, tags):
        by_id.setdefault(r.id, r)
    bad: list[FieldError] = []
    needs: list[Need] = []
    for i, req in enumerate(query.requirements):
        if req.resource_id is not None:
            if not by_id[req.resource_id].active:
                bad.append(FieldError(f"requirements.{i}.resource", "is not active"))
            needs.append(Need(frozenset([req.resource_id]), 1))
            continue
        eligible = frozenset(
            r.id for r in by_id.values() if r.active and r.deleted_at is None and req.tag in (r.tags or [])
        )
        if not eligible:
            bad.append(FieldError(f"requirements.{i}.tag", f"no resource has the tag '{req.tag}'"))
        elif len(eligible) < req.count:
            bad.append(
                FieldError(
                    f"requirements.{i}.count",
                    f"only {len(eligible)} resource(s) have the tag '{req.tag}', {req.count} asked",
                )
            )
        needs.append(Need(eligible, req.count))
    if bad:
        raise ValidationFailed(bad)
    ids = sorted({rid for need in needs for rid in need.eligible})
    if len(ids) > MAX_CANDIDATES:
        raise ValidationFailed.one(
            "requirements",
            f"{len(ids)} resources can fill these requirements; at most {MAX_CANDIDATES} may be searched: "
            "use narrower tags",
        )
    pool = [by_id[rid] for rid in ids]
    rules = availability.load_rules(session, ctx, ids, query.start, query.end)
    reach_before = max((timedelta(seconds=r.buffer_before_seconds) for r in pool), default=timedelta(0))
    reach_after = max((timedelta(seconds=r.buffer_after_seconds) for r in pool), default=timedelta(0))
    busy = availability.busy_intervals(session, ctx, ids, query.start - reach_before, query.end + reach_after)
    # Open time depends on the zone and the rules only: resources sharing both share it.
    opened: dict[tuple[Any, ...], list[Interval]] = {}
    candidates: list[Candidate] = []
    for r in pool:
        mine = rules.get(r.id, [])
        signature = (r.timezone, *sorted(_rule_signature(rule) for rule in mine))
        if signature not in opened:
            opened[signature] = availability.compute_open(r.timezone, mine, query.start, query.end)
        spans = busy.get(r.id, [])
        load = sum((e - s for s, e in clip(spans, query.start, query.end)), timedelta(0))
        free = availability.clear_of(r, opened[signature], spans)
        lo = max(query.start, availability.earliest_start([r], now))
        free = clip(free, lo, query.end) if lo < query.end else []
        candidates.append(Candidate(r.id, r.name, free, load))
    return needs, candidates


def _rule_signature(rule: AvailabilityRule) -> tuple[Any, ...]:
    return tuple(
        repr(getattr(rule, f))
        for f in (
            "kind",
            "weekdays",
            "start_time",
            "end_time",
            "on_date",
            "rrule",
            "exdates",
            "starts_at",
            "ends_at",
        )
    )


def search(session: Session, ctx: TenantContext, query: SearchQuery, *, now: datetime | None = None) -> Found:
    """The best options for the query (``prepare``, then ``find``); none starts before ``now`` plus the
    minimum notice of a resource it uses."""
    needs, candidates = prepare(session, ctx, query, now=now)
    window = (query.duration, query.granularity, query.start, query.end)
    options, starts, examined = find(
        Problem(needs, candidates, *window, query.objective, query.preferred, query.limit)
    )
    return Found(options, {c.id: c for c in candidates}, [len(n.eligible) for n in needs], starts, examined)


# -- the reference ----------------------------------------------------------------------------------


def _assignments(
    needs: Sequence[Need], free: Sequence[uuid.UUID], j: int, used: frozenset[uuid.UUID]
) -> Iterable[tuple[tuple[uuid.UUID, ...], ...]]:
    if j == len(needs):
        yield ()
        return
    pool = [rid for rid in free if rid in needs[j].eligible and rid not in used]
    for group in combinations(pool, needs[j].count):
        for rest in _assignments(needs, free, j + 1, used | set(group)):
            yield (group, *rest)


def brute_force(problem: Problem) -> list[Option]:
    """The definition, by exhaustion: every grid start, every assignment of distinct free resources;
    at a start the assignment whose sorted keys, then keys in requirement order, are smallest. Used by
    the tests and the benchmark to check ``find``; exponential in the counts."""
    needs, candidates, objective, duration = (
        problem.needs,
        problem.candidates,
        problem.objective,
        problem.duration,
    )
    pref = frozenset(problem.preferred)
    by_id = {c.id: c for c in candidates}
    options: list[Option] = []
    at = availability._ceil(problem.start, problem.granularity)
    while at + duration <= problem.end:
        free = sorted(
            (c.id for c in candidates if any(lo <= at and at + duration <= hi for lo, hi in c.free)),
            key=lambda rid: resource_key(objective, by_id[rid], pref),
        )
        best: tuple[Any, tuple[tuple[uuid.UUID, ...], ...]] | None = None
        for assignment in _assignments(needs, free, 0, frozenset()):
            keys = [resource_key(objective, by_id[rid], pref) for group in assignment for rid in group]
            score = (sorted(keys), keys)
            if best is None or score < best[0]:
                best = (score, assignment)
        if best is not None:
            chosen = tuple((rid, j) for j, group in enumerate(best[1]) for rid in group)
            loads = [by_id[rid].load for rid, _ in chosen]
            n_pref = sum(1 for rid, _ in chosen if rid in pref)
            top, total = max(loads), sum(loads, timedelta(0))
            rank = option_rank(objective, at, n_pref, top, total)
            options.append(Option(at, at + duration, chosen, rank, n_pref, top, total))
        at += problem.granularity
    options.sort(key=lambda o: o.rank)
    return options[: problem.limit]
