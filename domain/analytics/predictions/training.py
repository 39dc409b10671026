"""Fitting and back-testing. Every model is measured the same way: the rows in time order, fitted on the
older 80%, measured on the newest 20% (what it would have answered then), then fitted again on all of
them to answer. Models are small (gradient-boosted trees of at most ``MAX_ITER`` rounds) so that a
tenant's training is bounded in time as in rows."""

from __future__ import annotations

import hashlib
import hmac
import math
import pickle
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import brier_score_loss, roc_auc_score
from threadpoolctl import threadpool_limits

from domain.analytics.predictions import features as f
from domain.analytics.predictions.features import Matrix
from domain.errors import Conflict

TRAIN_SHARE = 0.8
MAX_ITER = 100
SEED = 0
# Shallow, slow-learning trees: a history of a few hundred rows must not be learnt by heart.
SMALL_TREES: dict[str, Any] = {
    "max_iter": MAX_ITER,
    "learning_rate": 0.05,
    "max_depth": 3,
    "min_samples_leaf": 20,
    "l2_regularization": 1.0,
    "random_state": SEED,
}
Quality = dict[str, float | int | None]


class InsufficientHistory(Conflict, code="insufficient_history"):
    """Too little of the tenant's own history to train on (or to measure what was trained)."""

    def __init__(self, what: str, have: int, need: int) -> None:
        super().__init__(
            f"Too little history to predict: {have} {what}, at least {need} needed.",
            {"have": have, "need": need, "of": what},
        )


class TamperedModel(Exception):
    """A stored model whose signature does not check out: never unpickled."""


# -- signed blobs -------------------------------------------------------------------------------
_MAC = 32


def _mac(secret: str, tenant_id: uuid.UUID, kind: str, key: str, payload: bytes) -> bytes:
    signing_key = hmac.new(secret.encode(), b"keel analytics models", hashlib.sha256).digest()
    bound = tenant_id.bytes + kind.encode() + b"\x00" + key.encode() + b"\x00"  # not movable to another row
    return hmac.new(signing_key, bound + payload, hashlib.sha256).digest()


def seal(secret: str, tenant_id: uuid.UUID, kind: str, key: str, model: object) -> bytes:
    payload = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
    return _mac(secret, tenant_id, kind, key, payload) + payload


def unseal(secret: str, tenant_id: uuid.UUID, kind: str, key: str, blob: bytes) -> Any:
    """The model, once its signature is verified; ``TamperedModel`` before unpickling otherwise."""
    mac, payload = blob[:_MAC], blob[_MAC:]
    if len(blob) <= _MAC or not hmac.compare_digest(mac, _mac(secret, tenant_id, kind, key, payload)):
        raise TamperedModel(f"the stored {kind} model does not carry Keel's signature")
    return pickle.loads(payload)  # noqa: S301 - signed by Keel, verified just above


# -- estimators ---------------------------------------------------------------------------------
def one_thread() -> threadpool_limits:
    """Fit and predict on one core: a request or a tenant's training never takes the whole machine
    (and OpenMP threads fighting over busy cores are many times slower than one)."""
    return threadpool_limits(limits=1)


@dataclass
class Constant:
    """The probability when training saw one outcome only (every booking attended, say)."""

    p: float

    def predict_proba(self, x: Matrix) -> NDArray[np.float64]:
        return np.tile([1 - self.p, self.p], (len(x), 1))


class Classifier(Protocol):
    def predict_proba(self, x: Matrix) -> NDArray[np.float64]: ...


def _classifier(x: Matrix, y: NDArray[np.int64], categorical: list[int]) -> Classifier:
    if len(set(y.tolist())) < 2:
        return Constant(float(y.mean()) if len(y) else 0.0)
    model = HistGradientBoostingClassifier(categorical_features=categorical, **SMALL_TREES)
    fitted: Classifier = model.fit(x, y)
    return fitted


def probability(model: Classifier, x: Matrix) -> NDArray[np.float64]:
    with one_thread():
        return np.asarray(model.predict_proba(x)[:, 1], dtype=np.float64)


def split(n: int) -> int:
    """How many of ``n`` time-ordered rows are trained on in the back-test."""
    return max(1, min(n - 1, int(n * TRAIN_SHARE)))


def probability_quality(
    train_y: NDArray[np.int64], test_y: NDArray[np.int64], p: NDArray[np.float64]
) -> Quality:
    base = float(train_y.mean()) if len(train_y) else 0.0
    both = len(set(test_y.tolist())) == 2
    return {
        "brier": round(float(brier_score_loss(test_y, p, labels=[0, 1])), 5),
        "naive_brier": round(float(brier_score_loss(test_y, np.full(len(test_y), base), labels=[0, 1])), 5),
        "auc": round(float(roc_auc_score(test_y, p)), 4) if both else None,
        "base_rate": round(base, 5),
        "test_samples": len(test_y),
    }


# -- process completion -------------------------------------------------------------------------
@dataclass
class CompletionModel:
    definitions: f.Vocabulary
    per_definition: dict[str, int]  # ended processes trained on
    with_sla: set[str]  # definitions whose tasks have due dates
    regressor: HistGradientBoostingRegressor  # log1p(remaining seconds)
    spread: tuple[float, float]  # the back-tested 10th and 90th percentile of its log errors
    breach: Classifier | None

    def remaining(self, x: Matrix) -> NDArray[np.float64]:
        """Seconds to go per row: [10th percentile, expected (the median), 90th percentile]."""
        with one_thread():
            mid = self.regressor.predict(x)
        logs = np.column_stack([mid + self.spread[0], mid, mid + self.spread[1]])
        return np.clip(np.expm1(logs), 0.0, None)


def _fit_completion(
    rows: Sequence[f.ProcessRow], with_sla: set[str], spread: tuple[float, float] = (0.0, 0.0)
) -> tuple[CompletionModel, f.ProcessSamples]:
    definitions = f.vocabulary([r.definition for r in rows], limit=f.MAX_CATEGORIES)
    samples = f.process_samples(rows, definitions, with_sla)
    breach = (
        _classifier(samples.breach_x, samples.breached, f.PROCESS_CATEGORICAL)
        if len(samples.breached)
        else None
    )
    counts: dict[str, int] = {}
    for r in rows:
        if r.definition in definitions.values:  # the rest share one unknown category
            counts[r.definition] = counts.get(r.definition, 0) + 1
    # Durations are skewed: the log is fitted, so the answer is a median and errors are relative.
    regressor = HistGradientBoostingRegressor(categorical_features=f.PROCESS_CATEGORICAL, **SMALL_TREES).fit(
        samples.x, np.log1p(samples.remaining)
    )
    return CompletionModel(definitions, counts, with_sla, regressor, spread, breach), samples


def train_completion(rows: Sequence[f.ProcessRow], with_sla: set[str]) -> tuple[CompletionModel, Quality]:
    """Rows: ended processes in the order they ended. The interval is the back-tested spread of the
    errors: about 80% of the held-out processes ended inside it."""
    cut = split(len(rows))
    with one_thread():
        model, train = _fit_completion(rows[:cut], with_sla)
        test = f.process_samples(rows[cut:], model.definitions, with_sla)
        logs = np.log1p(test.remaining) - model.regressor.predict(test.x)
        spread = (float(np.percentile(logs, 10)), float(np.percentile(logs, 90)))
        error = np.abs(model.remaining(test.x)[:, 1] - test.remaining)
        naive = np.abs(np.median(train.remaining) - test.remaining)
        quality: Quality = {
            "mae_seconds": round(float(error.mean()), 1),
            "p50_abs_error_seconds": round(float(np.percentile(error, 50)), 1),
            "p90_abs_error_seconds": round(float(np.percentile(error, 90)), 1),
            "naive_mae_seconds": round(float(naive.mean()), 1),
            "test_samples": len(test.remaining),
        }
        if model.breach is not None and len(test.breached):
            p = probability(model.breach, test.breach_x)
            measured = probability_quality(train.breached, test.breached, p)
            quality |= {f"breach_{k}": v for k, v in measured.items()}
        final, _ = _fit_completion(rows, with_sla, spread)
    return final, quality


# -- no-shows -----------------------------------------------------------------------------------
@dataclass
class NoShowModel:
    base_rate: float
    resources: f.Vocabulary
    classifier: Classifier

    def matrix(self, rows: Sequence[f.BookingRow], people: dict[str, f.History]) -> Matrix:
        return f.booking_matrix(rows, people, self.base_rate, self.resources)


def _labels(rows: Sequence[f.BookingRow]) -> NDArray[np.int64]:
    return np.array([int(r.status == f.NO_SHOW) for r in rows], dtype=np.int64)


def _fit_no_show(rows: Sequence[f.BookingRow], people: dict[str, f.History]) -> NoShowModel:
    y = _labels(rows)
    base = float(y.mean())
    resources = f.vocabulary([r.resource for r in rows])
    x = f.booking_matrix(rows, people, base, resources)
    return NoShowModel(base, resources, _classifier(x, y, f.BOOKING_CATEGORICAL))


def train_no_show(rows: Sequence[f.BookingRow]) -> tuple[NoShowModel, Quality]:
    """Rows: bookings whose outcome is known, in the order they started."""
    people = f.histories(rows)  # each row only ever sees the bookings that ended before it started
    cut = split(len(rows))
    with one_thread():
        model = _fit_no_show(rows[:cut], people)
        test = rows[cut:]
        p = probability(model.classifier, model.matrix(test, people))
        quality = probability_quality(_labels(rows[:cut]), _labels(test), p)
        quality["base_rate"] = round(float(_labels(rows).mean()), 5)
        return _fit_no_show(rows, people), quality


# -- forecasts ----------------------------------------------------------------------------------
@dataclass
class Fitted:
    predict: Callable[[Sequence[int]], NDArray[np.float64]]
    residuals: NDArray[np.float64]


def fit_trend(index: Sequence[int], values: Sequence[float], season: int | None) -> Fitted:
    """A ridge regression of the values on the trend and the season's slots."""
    x = f.seasonal_features(index, season)
    model = Ridge(alpha=1.0).fit(x, np.array(values))

    def predict(at: Sequence[int]) -> NDArray[np.float64]:
        return np.asarray(model.predict(f.seasonal_features(at, season)), dtype=np.float64)

    return Fitted(predict, np.array(values) - predict(index))


def back_test_series(
    index: Sequence[int], values: Sequence[float], season: int | None, held: int
) -> tuple[Quality, NDArray[np.float64]]:
    """The error of a fit on all but the last ``held`` buckets over those buckets, and the errors."""
    fitted = fit_trend(index[:-held], values[:-held], season)
    actual = np.array(values[-held:])
    errors = actual - fitted.predict(index[-held:])
    nonzero = actual != 0
    mape = float(np.mean(np.abs(errors[nonzero] / actual[nonzero]))) if nonzero.any() else None
    quality: Quality = {
        "held_out": held,
        "mae": round(float(np.mean(np.abs(errors))), 4),
        "mape": round(mape, 4) if mape is not None and math.isfinite(mape) else None,
    }
    return quality, errors
