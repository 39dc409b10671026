"""The steps that run a versioned artefact pinned when the process started: ``subprocess`` (a definition,
or a code workflow) and ``decide`` (a decision table).

Both look the version up in the run's input (``DslRun.subdefinitions``, ``DslRun.decisions``), resolved
once at the start, so a version published while the process runs changes nothing for it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, ChildWorkflowError

from workflows import contracts
from workflows.dsl_state import Frame, ProcessError, error_of

with workflow.unsafe.imports_passed_through():
    from domain.definitions import model as m
    from domain.definitions.schemas import DecisionCall, DslRun
    from domain.processes.schemas import ApprovalInput, ApprovalRun, ChildProcess


# An evaluation is one short row read and a compiled table: a local activity (no task queue between, its
# answer recorded in the history as a marker) costs a few milliseconds where a queued one costs tens.
TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=3)


class PinnedSteps:
    """Mixed into the interpreter workflow: the subprocess and decide steps."""

    if TYPE_CHECKING:
        run_input: DslRun

        def evaluate(self, value: Any, frame: Frame, step_id: str) -> Any: ...
        async def call(
            self, name: str, arg: Any, *, timeout: timedelta = ..., retry: RetryPolicy = ...
        ) -> Any: ...

    async def evaluate_decision(self, step: m.DecideStep, frame: Frame) -> Any:
        """The table's outputs for the context the step builds. The evaluation is a local activity: its
        answer is in the history, so a replay reads it and never evaluates again. A context the table
        refuses, rules that conflict, or a table gone are business errors a ``try`` step may catch."""
        run = self.run_input
        key = f"{step.decision}@{step.version}" if step.version else f"{step.decision}@latest"  # as pinned
        version = run.decisions.get(key)
        if version is None:
            message = f"step '{step.id}': decision {key} was not resolved at start"
            raise ProcessError("UnknownDecision", message, {"step": step.id})
        context = self.evaluate(step.context, frame, step.id)
        call = DecisionCall(
            tenant_id=run.tenant_id,
            process_id=run.process_id,
            decision=step.decision,
            version=version,
            context=context,
        )
        try:
            answer = await workflow.execute_local_activity(
                contracts.DECISIONS_EVALUATE, call, start_to_close_timeout=TIMEOUT, retry_policy=RETRY
            )
        except (ActivityError, ApplicationError) as exc:  # a local activity's failure may come unwrapped
            error_type, message = _failure_of(exc)
            details = {"step": step.id, "decision": step.decision, "version": version, **_details_of(exc)}
            raise ProcessError(
                error_type, f"step '{step.id}' (decision {step.decision} v{version}): {message}", details
            ) from None
        if not isinstance(answer, dict) or "outputs" not in answer:  # a stand-in (a scenario's mock)
            message = f"step '{step.id}' (decision {step.decision} v{version}): the answer has no outputs"
            raise ProcessError("ActivityFailed", message, {"step": step.id})
        return answer["outputs"]

    async def subprocess(self, step: m.SubprocessStep, frame: Frame) -> Any:
        run = self.run_input
        child_input = self.evaluate(step.input, frame, step.id)
        child_id = f"{workflow.info().workflow_id}/{step.id}{frame.path}"
        name = step.definition or step.workflow or ""
        business_key = f"{run.business_key}/{step.id}{frame.path}"
        process_id = await self.call(
            contracts.PROCESSES_REGISTER_CHILD,
            ChildProcess(
                tenant_id=run.tenant_id,
                parent_id=run.process_id,
                definition=name,
                version=step.version,
                business_key=business_key,
                workflow_id=child_id,
                input=child_input,
            ),
        )
        child: Any
        key = f"{name}@{step.version}" if step.version else f"{name}@latest"
        definition = run.subdefinitions.get(key)
        # The child runs in the parent's tenant, on behalf of whoever started the parent.
        inherited = run.model_dump(include={"tenant_id", "tenant_domain", "started_by"})
        # ``workflow: approval`` runs the shipped definitions/approval.yaml, bundled at the start; a
        # process started before that has no such definition in its input and keeps the code workflow.
        if step.workflow == contracts.APPROVAL and definition is None:
            try:
                parsed = ApprovalInput.model_validate(child_input)
            except ValueError as exc:
                raise ProcessError("InvalidInput", f"step '{step.id}': {exc}", {"step": step.id}) from None
            child, workflow_name = (
                ApprovalRun(**inherited, process_id=process_id, business_key=business_key, input=parsed),
                contracts.APPROVAL,
            )
        else:
            if definition is None:
                raise ProcessError("UnknownDefinition", f"step '{step.id}': {key} was not resolved at start")
            child, workflow_name = (
                DslRun(
                    **inherited,
                    process_id=process_id,
                    business_key=business_key,
                    definition=definition,
                    input=child_input,
                    subdefinitions=run.subdefinitions,
                    decisions=run.decisions,  # pinned with the parent: one start, one set of versions
                ),
                contracts.DSL,
            )
        options: dict[str, Any] = {"id": child_id}
        if not step.wait:
            options["parent_close_policy"] = workflow.ParentClosePolicy.ABANDON
        handle = await workflow.start_child_workflow(workflow_name, child, **options)
        if not step.wait:
            return {"process_id": str(process_id), "workflow_id": child_id}
        try:
            result = await handle
        except ChildWorkflowError as exc:
            error_type, message = error_of(exc)
            raise ProcessError(
                error_type, f"step '{step.id}': subprocess failed: {message}", {"step": step.id}
            ) from None
        return {"process_id": str(process_id), "result": result}


def _failure_of(exc: ActivityError | ApplicationError) -> tuple[str, str]:
    """The error type and message of a failed evaluation, wrapped in an ActivityError or not."""
    if isinstance(exc, ActivityError):
        return error_of(exc)
    return exc.type or "ActivityFailed", exc.message


def _details_of(exc: ActivityError | ApplicationError) -> dict[str, Any]:
    """What the activity's error carried beyond its message (the context's field errors, the rules in
    conflict), for the ``error`` a catch branch reads."""
    cause = exc.cause if isinstance(exc, ActivityError) else exc
    if isinstance(cause, ApplicationError) and cause.details and isinstance(cause.details[0], dict):
        return {k: v for k, v in cause.details[0].items() if k in ("fields", "rules")}
    return {}
