"""Decision tables: list, publish (YAML), read a version with its renderings, validate, evaluate."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from starlette.concurrency import run_in_threadpool

from api.bodies import yaml_body, yaml_content
from api.deps import Ctx, Cursor, Db, Limit
from api.envelope import REPUBLISHED, models_page, published, respond, success
from api.resource_routes import ResourceRoutes
from domain.decisions import service as decisions
from domain.decisions.schemas import SLUG, HitPolicy
from domain.decisions.service import DecisionSummary, DecisionVersion, Validation

MAX_VERSION = 1_000_000  # as the format allows
router = APIRouter(prefix="/api/v1/decisions", tags=["decisions"])
routes = ResourceRoutes(router, DecisionVersion, item="/{name}/versions/{version}")
Name = Annotated[str, Path(max_length=64, pattern=SLUG, description="the decision's name")]
Version = Annotated[int, Path(ge=1, le=MAX_VERSION, description="a published version")]
YAML_BODY = yaml_content("a decision table")


class EvaluateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    context: dict[str, Any] = Field(description="what the inputs' expressions read (an object)")
    version: StrictInt | None = Field(
        default=None, ge=1, le=MAX_VERSION, description="a published version; the latest when left out"
    )


class Failed(BaseModel):
    input: str
    cell: str
    value: Any


class Explained(BaseModel):
    rule: int = Field(description="1-based")
    matched: bool
    description: str | None = None
    failed: Failed | None = Field(default=None, description="the first cell that did not match the input")


class Evaluation(BaseModel):
    decision: str
    version: int
    hit_policy: HitPolicy
    aggregation: Literal["sum", "min", "max", "count"] | None = None
    inputs: dict[str, Any] = Field(description="each input's value as read from the context")
    outputs: Any = Field(
        description="unique, first, any, priority: {output: value} or null when no rule matched; "
        "collect and rule_order: a list of them; collect with an aggregation: {output: number}"
    )
    matched: list[int] = Field(description="the numbers of the rules that matched, 1-based")
    selected: list[int] = Field(description="the matched rules the hit policy took the outputs from")
    explanation: list[Explained]


def _location(out: DecisionVersion) -> str:
    return f"/api/v1/decisions/{out.name}/versions/{out.version}"


@routes.listing(
    model=list[DecisionSummary], summary="Shipped and published decision tables by name, a page at a time"
)
def list_decisions(ctx: Ctx, session: Db, limit: Limit = None, cursor: Cursor = None) -> dict[str, Any]:
    items, next_cursor = decisions.listing(session, ctx, limit=limit, cursor=cursor)
    return models_page(items, limit=limit, next_cursor=next_cursor)


@routes.create(
    400,
    409,
    413,
    415,
    summary="Publish a decision table version (YAML body); the same content again answers 200",
    description="Every problem is a 422 with its JSON pointer, line and column; nothing is published. "
    "Other content under a published version, or a shipped table's name, is a 409.",
    openapi_extra=YAML_BODY,
    responses=REPUBLISHED,
)
async def publish(request: Request, ctx: Ctx, session: Db, response: Response) -> dict[str, Any]:
    body = await yaml_body(request, "decision table")

    def run() -> tuple[DecisionVersion, bool]:
        parsed, is_new = decisions.publish(session, ctx, body)
        return decisions.described(parsed, "tenant"), is_new

    out, is_new = await run_in_threadpool(run)
    response.headers["ETag"] = f'"{out.sha256}"'
    return published(response, _location(out), out.model_dump(mode="json"), is_new)


@routes.yaml_validate("a decision table", Validation)
async def validate(request: Request, ctx: Ctx) -> dict[str, Any]:
    body = await yaml_body(request, "decision table")
    out = await run_in_threadpool(decisions.validate, ctx, body)
    return success(out.model_dump(mode="json"))


@routes.read(summary="A version: its source, document, warnings, and the table as Markdown and HTML")
def get_version(name: Name, version: Version, ctx: Ctx, session: Db) -> JSONResponse:
    out = decisions.version_detail(session, ctx, name, version)
    # A published version never changes: its content's digest is its ETag.
    return respond(success(out.model_dump(mode="json")), headers={"ETag": f'"{out.sha256}"'})


@routes.collection_post(
    "/{name}/evaluate",
    400,
    404,
    model=Evaluation,
    summary="Evaluate the table on a context: its outputs, and why each rule matched or did not",
    description="A context missing an input, or with a value of the wrong type, is a 422 naming "
    "`context.<input>`; `unique` matching several rules, or `any` matching rules that answer differently, "
    "is a 422 `decision_conflict` naming the rules.",
)
def evaluate(name: Name, body: EvaluateIn, ctx: Ctx, session: Db) -> JSONResponse:
    out = decisions.evaluate(session, ctx, name, body.context, body.version)
    return respond(success(out))
