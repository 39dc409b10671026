"""The interpreter of YAML process definitions: one Temporal workflow runs any definition.

The definition arrives parsed and validated (outside the workflow) in the run's input, so a
process is pinned to the exact definition it started with. Everything here is deterministic:
time is ``workflow.now()``, ids are ``workflow.uuid4()``, expressions are pure.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import contracts
from workflows.dsl_pinned import PinnedSteps
from workflows.dsl_state import Frame, ProcessError, TaskGroup, as_duration, as_instant, error_of
from workflows.dsl_tasks import TaskSteps

with workflow.unsafe.imports_passed_through():
    from domain.definitions import model as m
    from domain.definitions.expressions import ExpressionError, evaluate, truthy
    from domain.definitions.schemas import (
        DslResult,
        DslRun,
        DslState,
        ProcessEvent,
        ProcessFinished,
        Resume,
        TimelineEntry,
    )
    from domain.processes.schemas import ProcessRef
    from keel.search_attributes import AWAITING, TENANT

DEFAULT_RETRY = RetryPolicy(maximum_attempts=3)


class _End(Exception):
    def __init__(self, output: Any) -> None:
        self.output = output


@workflow.defn(name=contracts.DSL)
class DslWorkflow(TaskSteps, PinnedSteps):
    def __init__(self) -> None:
        super().__init__()
        self.state = DslState()
        self.outputs: dict[str, Any] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.compensations: list[tuple[str, str, dict[str, Any]]] = []

    # -- the run -----------------------------------------------------------------------------
    @workflow.run
    async def run(self, run: DslRun) -> DslResult:
        self.run_input = run
        d = run.definition
        self.state.definition, self.state.version = d.name, d.version
        start = 0
        if run.resume:
            self.state.vars, self.outputs = dict(run.resume.vars), dict(run.resume.outputs)
            self.state.timeline = list(run.resume.timeline)
            start = run.resume.step_index
        try:
            try:
                await self.run_steps(d.steps[start:], Frame(), offset=start)
                output = self.evaluate(d.output, Frame(), "output")
            except _End as end:
                output = end.output
        except ProcessError as err:
            self.state.phase = "failed"
            await self.compensate()
            await self.finished("failed", error=f"{err.error_type}: {err.message}")
            raise ApplicationError(
                err.message, err.details, type=err.error_type, non_retryable=True
            ) from None
        except asyncio.CancelledError:
            self.state.phase = "cancelled"
            await self.call(
                contracts.PROCESSES_CANCEL_OPEN_TASKS,
                ProcessRef(tenant_id=run.tenant_id, process_id=run.process_id),
            )
            await self.compensate()
            await self.finished("cancelled")
            raise
        self.state.phase = "completed"
        await self.finished("completed", output=output)
        return DslResult(output=output, vars=self.state.vars, state=self.query_state())

    async def finished(self, status: str, *, output: Any = None, error: str | None = None) -> None:
        """The ``process.<status>`` domain event. Added after histories were recorded, hence patched."""
        if workflow.patched("process-finished-event"):
            run = self.run_input
            await self.call(
                contracts.PROCESSES_RECORD_FINISHED,
                ProcessFinished(
                    tenant_id=run.tenant_id,
                    process_id=run.process_id,
                    status=status,
                    output=output,
                    error=error,
                ),
            )

    @workflow.query(name=contracts.STATE)
    def query_state(self) -> DslState:
        self.state.open_tasks = self.open_tasks()
        self.state.awaiting_events = sorted(self.awaiting)
        return self.state

    @workflow.signal(name=contracts.EVENT)
    def on_event(self, event: ProcessEvent) -> None:
        self.events.setdefault(self.event_key(event.name, event.correlation_key), []).append(event.payload)

    # -- helpers shared by the step implementations ----------------------------------------------
    def scope(self, frame: Frame) -> dict[str, Any]:
        run = self.run_input
        return {
            "input": run.input,
            "vars": self.state.vars,
            "steps": {**self.outputs, **frame.outputs},
            "now": workflow.now().isoformat(),
            "process": {
                "id": str(run.process_id),
                "business_key": run.business_key,
                "definition": run.definition.name,
                "version": run.definition.version,
                "workflow_id": workflow.info().workflow_id,
            },
            "new_id": lambda: str(workflow.uuid4()),
            **frame.locals,
        }

    def evaluate(self, value: Any, frame: Frame, step_id: str) -> Any:
        try:
            return evaluate(value, self.scope(frame), step_id=step_id)
        except ExpressionError as exc:
            raise ProcessError("ExpressionError", str(exc), {"step": step_id}) from None

    async def call(
        self,
        name: str,
        arg: Any,
        *,
        timeout: timedelta = timedelta(seconds=30),
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> Any:
        return await workflow.execute_activity(name, arg, start_to_close_timeout=timeout, retry_policy=retry)

    def record(self, frame: Frame, step_id: str, output: Any) -> None:
        target = frame.outputs if frame.local_outputs else self.outputs
        target[step_id] = {"output": output}

    # -- sequencing -----------------------------------------------------------------------------
    async def run_steps(self, steps: Sequence[m.Step], frame: Frame, *, offset: int = 0) -> None:
        for index, step in enumerate(steps):
            if step.when is not None and not truthy(self.evaluate(step.when, frame, step.id)):
                self.timeline(step, "skipped", workflow.now())
                continue
            if isinstance(step, m.ForeachStep) and frame.top_level and step.concurrency == 1:
                await self.foreach(step, frame, step_index=offset + index)
            else:
                await self.run_step(step, frame)

    async def run_step(self, step: m.Step, frame: Frame) -> None:
        started = workflow.now()
        self.state.current_steps.append(step.id)
        status, detail = "completed", None
        try:
            output = await self.dispatch(step, frame)
            self.record(frame, step.id, output)
        except _End:
            raise
        except ProcessError as err:
            status, detail = "failed", err.message
            raise
        except asyncio.CancelledError:
            status = "cancelled"
            raise
        except GeneratorExit:  # the workflow is being torn down (evicted): no workflow calls now
            status = "evicted"
            raise
        finally:
            self.state.current_steps.remove(step.id)
            if status != "evicted":
                self.timeline(step, status, started, detail)

    def timeline(self, step: m.Step, status: str, started: Any, detail: str | None = None) -> None:
        finished = workflow.now()
        self.state.timeline.append(
            TimelineEntry(
                step_id=step.id,
                type=step.type,
                status=status,
                started_at=started,
                finished_at=finished,
                duration_ms=int((finished - started).total_seconds() * 1000),
                detail=detail,
            )
        )

    async def dispatch(self, step: m.Step, frame: Frame) -> Any:
        match step:
            case m.ActivityStep():
                return await self.activity(step, frame)
            case m.TaskStep():
                return await self.task(step, frame)
            case m.WaitStep():
                return await self.wait(step, frame)
            case m.SwitchStep():
                return await self.switch(step, frame)
            case m.ParallelStep():
                return await self.parallel(step, frame)
            case m.ForeachStep():
                return await self.foreach(step, frame)
            case m.SetStep():
                for name, value in step.vars.items():
                    self.state.vars[name] = self.evaluate(value, frame, step.id)
                return {name: self.state.vars[name] for name in step.vars}
            case m.NotifyStep():
                return await self.notify(step, frame)
            case m.EmitStep():
                return await self.emit(step, frame)
            case m.SubprocessStep():
                return await self.subprocess(step, frame)
            case m.DecideStep():
                return await self.evaluate_decision(step, frame)
            case m.FailStep():
                raise ProcessError(
                    step.error, str(self.evaluate(step.message, frame, step.id)), {"step": step.id}
                )
            case m.EndStep():
                raise _End(self.evaluate(step.output, frame, step.id))
            case m.TryStep():
                return await self.try_(step, frame)
        raise ProcessError("UnknownStep", f"step '{step.id}' has an unknown type")

    # -- activity, notify, emit --------------------------------------------------------------------
    def payload(self, args: Any, step_id: str) -> dict[str, Any]:
        if not isinstance(args, dict):
            raise ProcessError("ExpressionError", f"step '{step_id}': 'with' must evaluate to a mapping")
        run = self.run_input
        return {**args, "tenant_id": str(run.tenant_id), "process_id": str(run.process_id)}

    async def activity(self, step: m.ActivityStep, frame: Frame) -> Any:
        args = self.payload(self.evaluate(step.with_, frame, step.id), step.id)
        retry = step.retry
        policy = (
            RetryPolicy(
                maximum_attempts=retry.maximum_attempts,
                initial_interval=retry.initial_interval or timedelta(seconds=1),
                backoff_coefficient=retry.backoff,
                maximum_interval=retry.maximum_interval,
                non_retryable_error_types=retry.non_retryable,
            )
            if retry
            else DEFAULT_RETRY
        )
        try:
            result = await self.call(step.call, args, timeout=step.timeout, retry=policy)
        except ActivityError as exc:
            error_type, message = error_of(exc)
            if step.optional:
                return {"error": {"type": error_type, "message": message}}
            raise ProcessError(
                error_type, f"step '{step.id}' ({step.call}) failed: {message}", {"step": step.id}
            ) from None
        if step.compensate:
            inner = Frame(
                locals=frame.locals,
                outputs={**frame.outputs, step.id: {"output": result}},
                local_outputs=True,
            )
            comp_args = self.payload(self.evaluate(step.compensate.with_, inner, step.id), step.id)
            self.compensations.append((step.id, step.compensate.call, comp_args))
        return result

    async def compensate(self) -> None:
        """Undo completed steps that declared how, newest first; a failed compensation is logged."""
        while self.compensations:
            step_id, name, args = self.compensations.pop()
            try:
                await self.call(name, args)
            except ActivityError as exc:
                workflow.logger.warning("compensation of %s failed: %s", step_id, error_of(exc)[1])

    async def notify(self, step: m.NotifyStep, frame: Frame) -> Any:
        to = self.evaluate(step.to, frame, step.id)
        recipients = [to] if isinstance(to, str) else list(to)
        body = {
            "tenant_id": str(self.run_input.tenant_id),
            "to": recipients,
            "title": str(self.evaluate(step.title, frame, step.id)),
            "body": str(self.evaluate(step.body, frame, step.id)),
            "category": step.category,
            "data": {"process_id": str(self.run_input.process_id), "step": step.id},
        }
        return {"notified": await self.call(contracts.NOTIFICATIONS_NOTIFY, body)}

    async def emit(self, step: m.EmitStep, frame: Frame) -> Any:
        body = {
            "tenant_id": str(self.run_input.tenant_id),
            "process_id": str(self.run_input.process_id),
            "event": step.event,
            "payload": self.evaluate(step.payload, frame, step.id),
            "dedup_key": f"{workflow.info().workflow_id}/{step.id}{frame.path}",
        }
        return {"event_id": await self.call(contracts.EVENTS_EMIT, body)}

    # -- control flow -------------------------------------------------------------------------------
    async def switch(self, step: m.SwitchStep, frame: Frame) -> Any:
        for index, case in enumerate(step.cases):
            if truthy(self.evaluate(case.when, frame, step.id)):
                await self.run_steps(case.steps, frame.nested())
                return {"case": index}
        await self.run_steps(step.default, frame.nested())
        return {"case": "default"}

    async def parallel(self, step: m.ParallelStep, frame: Frame) -> Any:
        branches = {b.id: asyncio.create_task(self.run_steps(b.steps, frame.nested())) for b in step.branches}
        need = len(branches) if step.join == "all" else 1 if step.join == "any" else int(step.join)

        def failed() -> bool:
            return any(
                t.done() and not t.cancelled() and t.exception() is not None for t in branches.values()
            )

        await workflow.wait_condition(lambda: sum(t.done() for t in branches.values()) >= need or failed())
        for task in branches.values():
            if not task.done():
                task.cancel()
        await asyncio.gather(*branches.values(), return_exceptions=True)
        for task in branches.values():
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        return {"completed": [b for b, t in branches.items() if not t.cancelled() and t.exception() is None]}

    async def foreach(self, step: m.ForeachStep, frame: Frame, *, step_index: int | None = None) -> Any:
        items = self.evaluate(step.items, frame, step.id)
        if not isinstance(items, list):
            raise ProcessError(
                "ExpressionError", f"step '{step.id}': items must evaluate to a list", {"step": step.id}
            )
        started = workflow.now()
        first, results = 0, []
        resume = self.run_input.resume
        if step_index is not None and resume and resume.step_index == step_index:
            first, results = resume.item_index, list(resume.results)
        if step.concurrency == 1:
            for index in range(first, len(items)):
                if step_index is not None and self.should_continue_as_new():
                    self.continue_as_new(step_index, index, results)
                inner = frame.iteration(step.as_, items[index], index)
                await self.run_steps(step.steps, inner)
                results.append({k: v["output"] for k, v in inner.outputs.items()})
        else:
            results = await self.foreach_concurrent(step, frame, items)
        if step_index is not None:  # a top-level loop records itself (run_step is not around it)
            self.record(frame, step.id, results)
            self.timeline(step, "completed", started)
        return results

    async def foreach_concurrent(self, step: m.ForeachStep, frame: Frame, items: list[Any]) -> list[Any]:
        results: list[Any] = [None] * len(items)
        running = 0

        async def one(index: int) -> None:
            nonlocal running
            inner = frame.iteration(step.as_, items[index], index)
            try:
                await self.run_steps(step.steps, inner)
                results[index] = {k: v["output"] for k, v in inner.outputs.items()}
            finally:
                running -= 1

        tasks = []
        for index in range(len(items)):
            await workflow.wait_condition(lambda: running < step.concurrency)  # noqa: B023 - reads the live count
            running += 1
            tasks.append(asyncio.create_task(one(index)))
        await asyncio.gather(*tasks)
        return results

    def should_continue_as_new(self) -> bool:
        info = workflow.info()
        return (
            (
                info.is_continue_as_new_suggested()
                or info.get_current_history_length() > self.run_input.continue_as_new_after
            )
            and not self.open_tasks()
            and workflow.all_handlers_finished()
        )

    def continue_as_new(self, step_index: int, item_index: int, results: list[Any]) -> None:
        run = self.run_input
        resume = Resume(
            step_index=step_index,
            item_index=item_index,
            vars=self.state.vars,
            outputs=self.outputs,
            results=results,
            timeline=self.state.timeline[-100:],
        )
        workflow.continue_as_new(run.model_copy(update={"resume": resume}))

    async def try_(self, step: m.TryStep, frame: Frame) -> Any:
        try:
            await self.run_steps(step.steps, frame.nested())
            return {"caught": None}
        except ProcessError as err:
            for catch in step.catch:
                if not catch.errors or err.error_type in catch.errors:
                    error = {"type": err.error_type, "message": err.message, **err.details}
                    await self.run_steps(catch.steps, frame.nested(error=error))
                    return {"caught": error}
            raise

    # -- wait (subprocess and decide: dsl_pinned.py) ----------------------------------------------------
    @staticmethod
    def event_key(name: str, correlation: str | None) -> str:
        return f"{name}:{correlation}" if correlation else name

    async def wait(self, step: m.WaitStep, frame: Frame) -> Any:
        if step.duration is not None:
            await workflow.sleep(as_duration(self.evaluate(step.duration, frame, step.id), step.id))
            return None
        if step.until is not None:
            instant = as_instant(self.evaluate(step.until, frame, step.id), step.id)
            await workflow.sleep(max(instant - workflow.now(), timedelta(0)))
            return None
        assert step.signal is not None
        correlation = self.evaluate(step.correlation, frame, step.id) if step.correlation else None
        key = self.event_key(step.signal, str(correlation) if correlation is not None else None)
        timeout = as_duration(self.evaluate(step.timeout, frame, step.id), step.id) if step.timeout else None
        self.awaiting.add(key)
        self.publish_awaiting()
        try:
            await workflow.wait_condition(lambda: bool(self.events.get(key)), timeout=timeout)
            return self.events[key].pop(0)
        except TimeoutError:
            await self.run_steps(step.on_timeout, frame.nested())
            return {"timed_out": True}
        finally:
            self.awaiting.discard(key)
            self.publish_awaiting()

    def publish_awaiting(self) -> None:
        """Lets ``POST /events`` find the processes waiting for an event (when search attributes are on)."""
        if workflow.info().typed_search_attributes.get(TENANT) is not None:
            workflow.upsert_search_attributes([AWAITING.value_set(sorted(self.awaiting))])


__all__ = ["DslWorkflow", "TaskGroup"]
