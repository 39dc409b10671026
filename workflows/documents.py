"""Generating a document: one activity renders (the template version pinned at request time),
stores and records it, or records why it failed. If the activity cannot finish at all (the store
or the database down past the retries), the document is marked failed rather than left generating.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflows import contracts

with workflow.unsafe.imports_passed_through():
    from domain.documents.schemas import GenerateFailure, GenerateRun

RENDER_TIMEOUT = timedelta(minutes=2)  # layout is bounded at 30 s; the rest is storing and recording
RETRY = RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=10))


@workflow.defn(name=contracts.DOCUMENT_GENERATION)
class DocumentGenerationWorkflow:
    @workflow.run
    async def run(self, run: GenerateRun) -> str:
        try:
            status: str = await workflow.execute_activity(
                contracts.DOCUMENTS_GENERATE,
                run,
                result_type=str,
                start_to_close_timeout=RENDER_TIMEOUT,
                retry_policy=RETRY,
            )
            return status
        except ActivityError as exc:
            cause = exc.cause
            reason = (
                cause.message if isinstance(cause, ApplicationError) else "the document could not be stored"
            )
            failure = GenerateFailure(tenant_id=run.tenant_id, document_id=run.document_id, reason=reason)
            await workflow.execute_activity(
                contracts.DOCUMENTS_FAIL_GENERATION,
                failure,
                result_type=str,
                start_to_close_timeout=timedelta(seconds=30),
                retry_policy=RetryPolicy(maximum_interval=timedelta(seconds=10)),
            )
            return "failed"
