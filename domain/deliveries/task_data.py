"""The variables a task notification's template reads, and their wording for one recipient.

Processes notify with a task id (or a process id and step); the built-in ``task-*`` templates read
``process``, ``task_title`` and ``due_at``. They are looked up here from the task and its process
when the notification is written, and ``due_at`` (stored as an ISO instant) is worded in the
recipient's locale and time zone when it is rendered.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from sqlalchemy.orm import Session

from db.models import Process, Task
from domain.context import TenantContext
from domain.locales import format_instant
from domain.queries import find, live

# Process notification kinds and the template that words them.
KIND_TEMPLATES = {
    "task.assigned": "task-assigned",
    "task.reminder": "task-reminder",
    "task.escalated": "task-escalated",
}
LOCAL_TIMES = ("due_at",)  # instants worded for the recipient at render time


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def lookup(session: Session, ctx: TenantContext, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """``process``, ``task_title`` and ``due_at`` for a task notification (empty for other kinds)."""
    if kind not in KIND_TEMPLATES:
        return {}
    task = None
    task_id = _uuid(data.get("task_id"))
    if task_id is not None:
        task = find(session, ctx, Task, task_id, deleted=True)
    process_id = task.process_id if task is not None else _uuid(data.get("process_id"))
    if task is None and process_id is not None and data.get("step"):
        task = _open_task_of_step(session, ctx, process_id, str(data["step"]))
    out: dict[str, Any] = {}
    if process_id is not None:
        process = find(session, ctx, Process, process_id, deleted=True)
        if process is not None:
            out["process"] = process.definition
            out["process_key"] = process.business_key
    if task is not None:
        out["task_title"] = task.title
        if task.due_at is not None:
            out["due_at"] = task.due_at.astimezone(UTC).isoformat()
    return out


def _open_task_of_step(session: Session, ctx: TenantContext, process_id: uuid.UUID, step: str) -> Task | None:
    """The open task of a definition step (its key is the step id, or ``step#i.j`` in a loop) due first."""
    return session.scalar(
        live(ctx, Task, deleted=True)
        .where(
            Task.process_id == process_id,
            Task.status == "open",
            (Task.step_key == step) | Task.step_key.startswith(f"{step}#", autoescape=True),
        )
        .order_by(Task.due_at.asc().nulls_last())
        .limit(1)
    )


def localise(data: dict[str, Any], locale: str | None, timezone: str | None) -> dict[str, Any]:
    """``data`` with its task instants worded for the reader (``Mar 1, 2026, 4:30 PM UTC``)."""
    if data.get("kind") not in KIND_TEMPLATES:
        return data
    out = dict(data)
    for key in LOCAL_TIMES:
        value = data.get(key)
        if isinstance(value, str):
            out[key] = format_instant(value, locale, timezone)
    return out
