"""Prediction training on synthetic histories whose truth is known: the models beat the naive answer by
the margin the data allows, too little history is refused, and a stored model altered by one byte is
never unpickled."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from domain.analytics.predictions import features as f
from domain.analytics.predictions import training

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
SECRET = "s" * 40


def processes(n: int, seed: int = 1) -> list[f.ProcessRow]:
    """Approvals take about an hour, onboardings about a day (±20%); ordered by end."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        definition = "approval" if i % 2 else "onboarding"
        mean = 3600 if definition == "approval" else 86_400
        start = T0 + timedelta(hours=3 * i)
        took = timedelta(seconds=mean * rnd.uniform(0.8, 1.2))
        rows.append(f.ProcessRow(uuid.uuid4(), definition, 1, start, start + took))
    return sorted(rows, key=lambda r: r.ended_at or T0)


def bookings(n: int, seed: int = 2) -> list[f.BookingRow]:
    """Booked a month ahead: a no-show 60% of the time; booked the same day: 5%."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        start = T0 + timedelta(hours=5 * i)
        lead = timedelta(days=30) if rnd.random() < 0.5 else timedelta(hours=2)
        p = 0.6 if lead.days else 0.05
        status = f.NO_SHOW if rnd.random() < p else f.ATTENDED
        rows.append(
            f.BookingRow(uuid.uuid4(), start - lead, start, start + timedelta(hours=1), status, None, "r1")
        )
    return rows


def test_completion_times_that_depend_on_the_definition_are_learnt():
    model, quality = training.train_completion(processes(400), set())
    mae, naive = quality["mae_seconds"], quality["naive_mae_seconds"]
    assert isinstance(mae, float) and isinstance(naive, float)
    assert mae < naive / 4, quality  # the naive median is wrong by most of a day for half the processes
    assert quality["test_samples"] == 80 * f.SNAPSHOTS
    later = processes(200, seed=3)
    x_later = np.array([f.process_features(r, r.started_at, model.definitions) for r in later])
    took = np.array([((r.ended_at or T0) - r.started_at).total_seconds() for r in later])
    low, _, high = model.remaining(x_later).T
    assert 0.6 <= float(np.mean((low <= took) & (took <= high))) <= 1.0  # about 80% inside
    fresh = [f.ProcessRow(uuid.uuid4(), d, 1, T0, None) for d in ("approval", "onboarding")]
    x = np.array([f.process_features(r, T0, model.definitions) for r in fresh])
    (a_low, a_mid, a_high), (o_low, o_mid, o_high) = model.remaining(x)
    assert o_low < o_mid < o_high
    assert a_low <= a_mid <= a_high and 2400 < a_mid < 5000
    assert 60_000 < o_mid < 110_000
    halfway = np.array([f.process_features(fresh[1], T0 + timedelta(hours=12), model.definitions)])
    assert model.remaining(halfway)[0][1] < o_mid  # the longer it has run, the less is left


def test_breaches_are_predicted_from_the_definition_and_time_already_spent():
    rows = []
    for r in processes(400):
        breach = (
            r.ended_at if r.definition == "onboarding" else None
        )  # onboardings always miss their due date
        rows.append(f.ProcessRow(r.id, r.definition, 1, r.started_at, r.ended_at, breach))
    model, quality = training.train_completion(rows, {"approval", "onboarding"})
    assert quality["breach_brier"] is not None and quality["breach_naive_brier"] is not None
    assert quality["breach_brier"] < quality["breach_naive_brier"] / 4, quality
    assert model.breach is not None
    x = np.array(
        [
            f.process_features(f.ProcessRow(1, d, 1, T0, None), T0, model.definitions)
            for d in ("approval", "onboarding")
        ]
    )
    p_approval, p_onboarding = training.probability(model.breach, x)
    assert p_approval < 0.1 < 0.9 < p_onboarding


def test_no_shows_that_depend_on_lead_time_are_learnt():
    rows = bookings(1000)
    model, quality = training.train_no_show(rows)
    assert isinstance(quality["brier"], float) and isinstance(quality["naive_brier"], float)
    assert quality["brier"] < quality["naive_brier"] * 0.85, quality
    assert (quality["auc"] or 0) > 0.75, quality
    assert 0.25 < (quality["base_rate"] or 0) < 0.40
    late = f.BookingRow(1, T0 - timedelta(days=30), T0, T0 + timedelta(hours=1), "confirmed", None, "r1")
    soon = f.BookingRow(2, T0 - timedelta(hours=2), T0, T0 + timedelta(hours=1), "confirmed", None, "r1")
    p_late, p_soon = training.probability(model.classifier, model.matrix([late, soon], {}))
    assert p_late > 0.45 and p_soon < 0.15


def test_a_persons_rate_counts_only_bookings_that_ended_before():
    day = timedelta(days=1)
    rows = [
        f.BookingRow(1, T0, T0, T0 + day, f.NO_SHOW, "p", None),
        f.BookingRow(2, T0, T0 + 2 * day, T0 + 3 * day, f.ATTENDED, "p", None),
        f.BookingRow(3, T0, T0 + 2 * day + timedelta(hours=1), T0 + 4 * day, f.NO_SHOW, "p", None),
    ]
    people = f.histories(rows)
    x = f.booking_matrix(rows, people, 0.5, f.Vocabulary())
    # the first saw nothing; the second its no-show; the third the same (the second had not ended)
    assert x[:, 6].tolist() == [0.0, 1.0, 1.0]
    assert x[0, 5] == pytest.approx(0.5) and x[1, 5] == pytest.approx(2 / 3)


def test_one_outcome_only_is_its_rate():
    rows = [
        f.BookingRow(i, T0, T0 + timedelta(hours=i), T0 + timedelta(hours=i + 1), f.ATTENDED)
        for i in range(120)
    ]
    model, quality = training.train_no_show(rows)
    assert quality["base_rate"] == 0 and quality["auc"] is None
    assert training.probability(model.classifier, model.matrix(rows[:2], {})).tolist() == [0.0, 0.0]


def test_a_forecast_back_test_measures_the_held_out_buckets():
    index = list(range(56))
    values = [10 + 0.5 * i + (8 if i % 7 in (5, 6) else 0) for i in index]  # a trend and weekends
    quality, _ = training.back_test_series(index, values, 7, 7)
    assert quality["held_out"] == 7 and (quality["mae"] or 0) < 1.0 and (quality["mape"] or 0) < 0.05
    flat, _ = training.back_test_series(index, values, None, 7)
    assert (flat["mae"] or 0) > 2 * (quality["mae"] or 0)  # the season matters


def test_a_model_blob_altered_anywhere_is_refused_before_unpickling():
    tenant = uuid.uuid4()
    model = training.Constant(0.25)
    blob = training.seal(SECRET, tenant, "no_show", "tenant", model)
    assert training.unseal(SECRET, tenant, "no_show", "tenant", blob) == model
    for position in (0, 40, len(blob) - 1):
        altered = bytearray(blob)
        altered[position] ^= 1
        with pytest.raises(training.TamperedModel):
            training.unseal(SECRET, tenant, "no_show", "tenant", bytes(altered))
    with pytest.raises(training.TamperedModel):  # another tenant's model, copied over
        training.unseal(SECRET, uuid.uuid4(), "no_show", "tenant", blob)
    with pytest.raises(training.TamperedModel):  # signed with another secret
        training.unseal("t" * 40, tenant, "no_show", "tenant", blob)
    with pytest.raises(training.TamperedModel):
        training.unseal(SECRET, tenant, "no_show", "tenant", b"")
