"""Process definitions: list, publish (YAML), read a version with its diagram, validate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.bodies import yaml_body, yaml_content
from api.deps import CatalogDep, Ctx, Db
from api.envelope import published, success
from api.resource_routes import ResourceRoutes
from domain.decisions import references as decision_references
from domain.definitions import service as definitions
from domain.definitions.graph import mermaid
from domain.definitions.parser import ParsedDefinition

router = APIRouter(prefix="/api/v1/definitions", tags=["definitions"])
YAML_BODY = yaml_content("a definition")


class DefinitionSummary(BaseModel):
    name: str
    origin: str = Field(description="shipped (in definitions/) or tenant (published here)")
    versions: list[int]
    latest_version: int
    description: str | None = None
    sha256: str | None = None


class DefinitionVersion(BaseModel):
    name: str
    version: int
    origin: str
    sha256: str
    description: str | None
    source: str
    parsed: dict[str, Any]
    mermaid: str


class Validation(BaseModel):
    valid: bool
    name: str
    version: int
    sha256: str
    mermaid: str


routes = ResourceRoutes(router, DefinitionVersion, item="/{name}/versions/{version}")


def _version_out(parsed: ParsedDefinition, origin: str) -> dict[str, Any]:
    d = parsed.definition
    return DefinitionVersion(
        **d.model_dump(include={"name", "version", "description"}),
        origin=origin,
        sha256=parsed.sha256,
        source=parsed.source,
        parsed=d.model_dump(mode="json", by_alias=True, exclude_none=True),
        mermaid=mermaid(d),
    ).model_dump(mode="json")


@routes.listing(model=list[DefinitionSummary])
def list_definitions(ctx: Ctx, session: Db, catalog: CatalogDep) -> dict[str, Any]:
    return success(definitions.listing(session, ctx, catalog))


@routes.create(
    409,
    413,
    415,
    summary="Publish a definition version (YAML body); the same content again answers 200",
    openapi_extra=YAML_BODY,
)
async def publish(
    request: Request, ctx: Ctx, session: Db, catalog: CatalogDep, response: Response
) -> dict[str, Any]:
    body = await yaml_body(request, "definition")

    def run() -> tuple[dict[str, Any], bool]:
        row, is_new = definitions.publish(session, ctx, catalog, body)
        parsed = definitions.resolve(session, ctx, catalog, row.name, row.version).parsed
        # Its decide steps' tables: a refusal rolls the publication back with the request's transaction.
        decision_references.check_definition(session, ctx, parsed)
        return _version_out(parsed, "tenant"), is_new

    out, is_new = await run_in_threadpool(run)
    return published(response, f"/api/v1/definitions/{out['name']}/versions/{out['version']}", out, is_new)


@routes.collection_post(
    "/validate",
    413,
    415,
    model=Validation,
    summary="Check a definition without publishing it; errors carry line and column",
    openapi_extra=YAML_BODY,
)
async def validate(request: Request, ctx: Ctx, session: Db, catalog: CatalogDep) -> dict[str, Any]:
    ctx.require("definitions:read")
    body = await yaml_body(request, "definition")

    def run() -> dict[str, Any]:
        parsed = definitions.validate_source(session, ctx, catalog, body)
        decision_references.check_definition(session, ctx, parsed)
        d = parsed.definition
        valid = Validation(
            valid=True, name=d.name, version=d.version, sha256=parsed.sha256, mermaid=mermaid(d)
        )
        return valid.model_dump()

    return success(await run_in_threadpool(run))


@routes.read()
def get_version(name: str, version: int, ctx: Ctx, session: Db, catalog: CatalogDep) -> dict[str, Any]:
    ctx.require("definitions:read")
    resolved = definitions.resolve(session, ctx, catalog, name, version)
    return success(_version_out(resolved.parsed, resolved.origin))
