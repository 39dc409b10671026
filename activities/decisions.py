"""The activity of the decide step, run as a local activity: evaluate a pinned decision table version."""

from __future__ import annotations

from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import Deps
from domain.decisions import service as decisions
from domain.decisions.errors import ContextInvalid, DecisionConflict
from domain.definitions.schemas import DecisionCall
from domain.errors import DomainError, NotFound
from workflows import contracts

# What no retry can change, by the error type a definition's ``try`` step catches.
FINAL: dict[type[DomainError], str] = {
    ContextInvalid: "ContextInvalid",
    DecisionConflict: "DecisionConflict",
    NotFound: "UnknownDecision",
}
# The answer kept in the history: the explanation of every rule stays out (a large table's would be big).
KEPT = ("decision", "version", "hit_policy", "aggregation", "inputs", "outputs", "matched", "selected")


class DecisionActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.DECISIONS_EVALUATE)
    def evaluate(self, data: DecisionCall) -> dict[str, Any]:
        try:
            with self.deps.unit(data.tenant_id) as (session, ctx):
                answer = decisions.evaluate(session, ctx, data.decision, data.context, version=data.version)
        except tuple(FINAL) as exc:
            raise final_error(exc) from exc
        return {key: answer.get(key) for key in KEPT}


def final_error(exc: DomainError) -> ApplicationError:
    """A non-retryable failure whose message names what is wrong (each field of an invalid context)."""
    kind = next(name for cls, name in FINAL.items() if isinstance(exc, cls))
    message = exc.message
    said = "; ".join(f"{f.field}: {f.message}" for f in exc.fields) if isinstance(exc, ContextInvalid) else ""
    if said not in message:
        message = f"{message} {said}"
    return ApplicationError(message, exc.details, type=kind, non_retryable=True)
