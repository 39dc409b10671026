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
from workflows.calls import Calls

with workflow.unsafe.imports_passed_through():
    from domain.documents.schemas import GenerateFailure, GenerateRun

# Layout is bounded at 30 s; the rest of the two minutes is storing and recording.
RENDER = Calls(
    timeout=timedelta(minutes=2),
    retry=RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=10)),
)
RECORD = Calls(timeout=timedelta(seconds=30), retry=RetryPolicy(maximum_interval=timedelta(seconds=10)))


@workflow.defn(name=contracts.DOCUMENT_GENERATION)
class DocumentGenerationWorkflow:
    @workflow.run
    async def run(self, run: GenerateRun) -> str:
        try:
            return await RENDER(contracts.DOCUMENTS_GENERATE, run, str)
        except ActivityError as exc:
            cause = exc.cause
            reason = (
                cause.message if isinstance(cause, ApplicationError) else "the document could not be stored"
            )
            failure = GenerateFailure(tenant_id=run.tenant_id, document_id=run.document_id, reason=reason)
            await RECORD(contracts.DOCUMENTS_FAIL_GENERATION, failure, str)
            return "failed"
