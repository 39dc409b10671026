"""Predictions through REST on histories written as the product writes them: process completion (with
the SLA breach probability), booking no-shows and metric forecasts, each with its model's back-tested
quality; too little history a 409 saying how much there is, bad parameters a 422, another tenant's ids
a 404, and a stored model altered in the database never used."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update

from db.models import Process, Resource, Task
from db.models.analytics_predictions import AnalyticsModel
from db.session import tenant_session
from domain.context import TenantContext
from domain.processes.service import record_breach
from tests.api.conftest import Api, data, error_of
from tests.api.test_bookings import make_resource
from tests.booking_rows import write_booking
from tests.conftest import TenantFixture
from tests.domain.analytics.rows import process_row

COMPLETION = "/api/v1/predictions/process-completion"
NO_SHOW = "/api/v1/predictions/no-show"
NOW = datetime.now(UTC).replace(microsecond=0)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def add_history(
    engine: Engine, tenant: TenantFixture, definition: str, n: int, took: timedelta, *, breached: bool = False
) -> list[str]:
    """``n`` processes that ended over the last weeks after about ``took`` (±20%); with ``breached``
    each had a task whose due date, half-way, it missed."""
    rnd = random.Random(definition)
    ids = []
    with tenant_session(engine, tenant.id) as session:
        for i in range(n):
            end = NOW - DAY * (1 + i * 20 / n) - HOUR * rnd.random()
            p = process_row(tenant.id, definition=definition, end=end, took=took * rnd.uniform(0.8, 1.2))
            session.add(p)
            session.flush()
            ids.append(str(p.id))
            if breached:
                task = review(p, p.created_at + took / 2, end)
                session.add(task)
                session.flush()
                due = task.due_at or NOW
                record_breach(
                    session, TenantContext.system(tenant.id), task.id, due, due + timedelta(minutes=1)
                )
    return ids


def review(process: Process, due: datetime, done: datetime | None) -> Task:
    """The process's review task, due at ``due``, completed at ``done`` (None: still open)."""
    return Task(
        tenant_id=process.tenant_id,
        process_id=process.id,
        step=0,
        step_key="review",
        title="Review",
        assignee="role:reviewer",
        status="completed" if done else "open",
        created_at=process.created_at,
        completed_at=done,
        due_at=due,
    )


def running(
    engine: Engine, tenant: TenantFixture, definition: str, since: timedelta, due: datetime | None = None
) -> str:
    """A process still running since ``since`` ago; with ``due``, its open review task due then."""
    with tenant_session(engine, tenant.id) as session:
        p = process_row(tenant.id, definition=definition, took=since)  # no end: still running
        session.add(p)
        session.flush()
        if due is not None:
            session.add(review(p, due, None))
        return str(p.id)


def test_a_running_process_is_predicted_from_its_definitions_history(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    add_history(engine, tenant, "approval", 60, HOUR)
    ended = add_history(engine, tenant, "onboarding", 60, DAY, breached=True)
    approval, onboarding = (
        running(engine, tenant, "approval", timedelta(minutes=5)),
        running(engine, tenant, "onboarding", HOUR, due=NOW + 11 * HOUR),
    )

    asked = datetime.now(UTC)  # NOW is when the module was collected, maybe minutes ago
    a = data(admin.get(COMPLETION, params={"process_id": approval}))
    assert a["process_id"] == approval and a["ended"] is False and a["definition"] == "approval"
    left = a["remaining_seconds"]
    assert left["low"] <= left["expected"] <= left["high"] and 1200 < left["expected"] < 5400, a
    expected = datetime.fromisoformat(a["expected_completion_at"])
    assert abs((expected - asked).total_seconds() - left["expected"]) < 300
    low, high = (datetime.fromisoformat(t) for t in a["completion_interval"])
    assert low <= expected <= high
    assert a["breach_probability"] is None and "due date" in a["breach_note"]
    model = a["model"]
    assert model["kind"] == "process_completion" and model["samples"] == 120
    quality = model["quality"]
    assert quality["mae_seconds"] < quality["naive_mae_seconds"] / 3, quality
    assert {"p50_abs_error_seconds", "p90_abs_error_seconds", "test_samples"} <= set(quality)

    o = data(admin.get(COMPLETION, params={"process_id": onboarding}))
    assert 15 * 3600 < o["remaining_seconds"]["expected"] < 30 * 3600, o
    assert o["breach_probability"] > 0.8 and o["breach_note"] is None
    assert o["model"]["trained_at"] == model["trained_at"]  # stored once, read again

    done = data(admin.get(COMPLETION, params={"process_id": ended[0]}))
    assert done["ended"] is True and done["model"] is None and done["remaining_seconds"]["expected"] == 0
    assert done["breach_probability"] == 1.0
    assert datetime.fromisoformat(done["expected_completion_at"]) < NOW


def test_too_little_history_unknown_ids_and_bad_parameters_are_refused(
    admin: Api,
    api: Callable[[str | None], Api],
    engine: Engine,
    tenant: TenantFixture,
    make_tenant: Callable[..., TenantFixture],
):
    add_history(engine, tenant, "rare", 3, HOUR)
    rare = running(engine, tenant, "rare", HOUR)
    refused = error_of(admin.get(COMPLETION, params={"process_id": rare}), 409, "insufficient_history")
    assert refused["details"]["have"] == 3 and refused["details"]["need"] == 50
    assert "3" in refused["message"] and "50" in refused["message"]
    with tenant_session(engine, tenant.id) as session:
        assert session.scalar(select(AnalyticsModel.id)) is None  # nothing trained, nothing stored

    error_of(admin.get(COMPLETION, params={"process_id": str(uuid.uuid4())}), 404, "not_found")
    error_of(admin.get(NO_SHOW, params={"booking_id": str(uuid.uuid4())}), 404, "not_found")
    for params in ({}, {"process_id": "nope"}):
        fields = error_of(admin.get(COMPLETION, params=params), 422, "validation_failed")["details"]["fields"]
        assert any("process_id" in f["field"] for f in fields), fields
    other = api(make_tenant("Other").api_key)
    error_of(other.get(COMPLETION, params={"process_id": rare}), 404, "not_found")

    key = data(admin.post("/api/v1/api-keys", json={"name": "k", "permissions": ["processes:read"]}), 201)
    error_of(api(key["api_key"]).get(COMPLETION, params={"process_id": rare}), 403, "forbidden")


def bookings(engine: Engine, tenant: TenantFixture, n: int) -> tuple[Resource, list[str]]:
    """``n`` past bookings: made a month ahead, 60% did not come; made the same day, 5%."""
    rnd = random.Random(7)
    ctx = TenantContext.system(tenant.id, tenant.domain)
    resource_id = make_resource(engine, tenant.id)
    ids = []
    with tenant_session(engine, tenant.id) as session:
        resource = session.get_one(Resource, uuid.UUID(resource_id))
        for i in range(n):
            start = NOW - DAY * 60 + HOUR * 3 * i
            far = rnd.random() < 0.5
            status = "no_show" if rnd.random() < (0.6 if far else 0.05) else "completed"
            b = write_booking(session, ctx, [resource], start, start + HOUR, status=status)
            b.created_at = start - (DAY * 30 if far else HOUR * 2)
            ids.append(str(b.id))
        session.flush()
        session.expunge(resource)
    return resource, ids


def future(
    engine: Engine,
    tenant: TenantFixture,
    resource: Resource,
    start: datetime,
    lead: timedelta,
    status: str = "confirmed",
) -> str:
    with tenant_session(engine, tenant.id) as session:
        b = write_booking(
            session,
            TenantContext.system(tenant.id, tenant.domain),
            [session.merge(resource)],
            start,
            start + HOUR,
            status=status,
        )
        b.created_at = NOW - (lead - (start - NOW))
        session.flush()
        return str(b.id)


def test_no_shows_are_predicted_from_the_tenants_bookings(
    admin: Api,
    api: Callable[[str | None], Api],
    engine: Engine,
    tenant: TenantFixture,
    make_tenant: Callable[..., TenantFixture],
):
    resource, past = bookings(engine, tenant, 20)
    soon = future(engine, tenant, resource, NOW + DAY, DAY)
    refused = error_of(admin.get(NO_SHOW, params={"booking_id": soon}), 409, "insufficient_history")
    assert refused["details"] == {"have": 20, "need": 100, "of": "bookings with a known outcome"}
    known = data(admin.get(NO_SHOW, params={"booking_id": past[0]}))  # an outcome needs no model
    assert (
        known["model"] is None and known["outcome"] in ("completed", "no_show") and 0 < known["base_rate"] < 1
    )

    resource, past = bookings(engine, tenant, 300)
    late = future(engine, tenant, resource, NOW + DAY * 2, DAY * 30)
    early = future(engine, tenant, resource, NOW + DAY * 3, HOUR * 2)
    p_late = data(admin.get(NO_SHOW, params={"booking_id": late}))
    p_early = data(admin.get(NO_SHOW, params={"booking_id": early}))
    assert p_late["booking_id"] == late and p_late["outcome"] is None
    assert p_late["probability"] > p_late["base_rate"] > p_early["probability"], (p_late, p_early)
    quality = p_late["model"]["quality"]
    assert p_late["model"]["samples"] == 320 and quality["brier"] < quality["naive_brier"], quality
    assert quality["auc"] > 0.7 and 0.2 < quality["base_rate"] < 0.45

    ended = data(admin.get(NO_SHOW, params={"booking_id": past[0]}))
    assert ended["outcome"] in ("completed", "no_show") and ended["probability"] in (0.0, 1.0)
    cancelled = future(engine, tenant, resource, NOW + DAY * 4, DAY, status="cancelled")
    error_of(admin.get(NO_SHOW, params={"booking_id": cancelled}), 409, "conflict")
    error_of(api(make_tenant("Other").api_key).get(NO_SHOW, params={"booking_id": late}), 404, "not_found")

    # A model altered in the database is never unpickled: the next answer comes from a new one.
    with tenant_session(engine, tenant.id) as session:
        session.execute(update(AnalyticsModel).values(blob=AnalyticsModel.blob.op("||")(b"x")))
    again = data(admin.get(NO_SHOW, params={"booking_id": late}))
    assert again["model"]["trained_at"] > p_late["model"]["trained_at"]
    assert again["probability"] == p_late["probability"]


FORECAST = "/api/v1/metrics/process-throughput/forecast"


def test_a_metric_is_forecast_with_its_season_bounds_and_back_tested_error(
    admin: Api, engine: Engine, tenant: TenantFixture
):
    error_of(admin.get(FORECAST), 409, "insufficient_history")
    ends = []
    for days in range(1, 57):  # eight weeks: five a weekday, one a day at weekends
        day = (NOW - DAY * days).replace(hour=12, minute=0, second=0)
        ends += [day] * (1 if day.weekday() >= 5 else 5)
    with tenant_session(engine, tenant.id) as session:
        session.add_all(process_row(tenant.id, end=end, took=HOUR) for end in ends)

    out = data(admin.get(FORECAST, params={"grain": "day", "periods": 14, "timezone": "UTC"}))
    assert out["metric"] == "process-throughput" and out["grain"] == "day" and out["season"] == 7
    assert out["history"] >= 50 and len(out["points"]) == 14
    assert out["quality"]["held_out"] >= 1 and out["quality"]["mae"] < 1.0
    for point in out["points"]:
        assert 0 <= point["lower"] <= point["value"] <= point["upper"]
        weekend = datetime.fromisoformat(point["start"]).weekday() >= 5
        assert abs(point["value"] - (1 if weekend else 5)) < 1.0, point
    starts = [datetime.fromisoformat(p["start"]) for p in out["points"]]
    assert starts[0].date() == NOW.date() and all(b - a == DAY for a, b in itertools.pairwise(starts))

    nothing = error_of(
        admin.get(FORECAST, params={"filter[definition]": "onboarding"}), 409, "insufficient_history"
    )
    assert nothing["details"]["have"] == 0
    months = error_of(admin.get(FORECAST, params={"grain": "month"}), 409, "insufficient_history")
    assert months["details"]["need"] == 24
    for params, field in (
        ({"periods": 0}, "periods"),
        ({"periods": 91}, "periods"),
        ({"grain": "hour"}, "grain"),
        ({"filter[colour]": "red"}, "filter"),
        ({"timezone": "Mars/Base"}, "timezone"),
    ):
        fields = error_of(admin.get(FORECAST, params=params), 422, "validation_failed")["details"]["fields"]
        assert any(field in f["field"] for f in fields), (params, fields)
    error_of(admin.get("/api/v1/metrics/no-such-metric/forecast"), 404, "not_found")
