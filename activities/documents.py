"""Activities of document generation: each opens a tenant unit of work and calls one domain step."""

from __future__ import annotations

from temporalio import activity

from activities import Deps
from adapters.storage import object_store
from domain.documents import generation
from domain.documents.schemas import DocumentLimits, GenerateFailure, GenerateRun
from workflows import contracts


class DocumentActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.DOCUMENTS_GENERATE)
    def generate(self, run: GenerateRun) -> str:
        settings = self.deps.settings
        with self.deps.unit(run.tenant_id) as (session, ctx):
            return generation.generate(session, ctx, object_store(settings), run, DocumentLimits.of(settings))

    @activity.defn(name=contracts.DOCUMENTS_FAIL_GENERATION)
    def fail_generation(self, failure: GenerateFailure) -> str:
        with self.deps.unit(failure.tenant_id) as (session, ctx):
            return generation.fail(session, ctx, failure.document_id, failure.reason)
