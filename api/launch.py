"""Answering a request that records rows and starts their workflows: the rows are committed, the
workflows started (or the rows discarded and 503), and what was made is answered with its Location."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from fastapi import Response
from sqlalchemy.orm import Session

from api.envelope import created
from api.process_runtime import Launcher, Start
from domain.context import TenantContext


class Made(Protocol):
    """An output model of something a request made: its id names it in the Location."""

    @property
    def id(self) -> uuid.UUID: ...

    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


Out = TypeVar("Out", bound=Made)
Discard = Callable[[Session, TenantContext, uuid.UUID], None]


async def start_and_answer(
    launcher: Launcher,
    ctx: TenantContext,
    response: Response,
    collection: str,
    record: Callable[[Session], tuple[Out, Sequence[Start]]],
    discard: Discard,
) -> dict[str, Any]:
    """``record`` in its own committed transaction, then its workflows; if one cannot start, ``discard``
    removes what was recorded (by id). The answer is what was made, at ``{collection}/{id}``."""

    def undo(session: Session, out: Out) -> None:
        discard(session, ctx, out.id)

    out = await launcher.record_then_start(ctx, record, undo)
    return created(response, f"{collection}/{out.id}", out.model_dump(mode="json"))
