"""Processes (one per Temporal workflow), their human tasks and SLA breaches."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key
from db.models.indexes import unique_while_live


class Process(Base, TenantOwned):
    __tablename__ = "processes"
    __table_args__ = (
        unique_while_live("uq_processes_business_key", "tenant_id", "definition", "business_key"),
    )

    definition: Mapped[str] = mapped_column(String(128))
    business_key: Mapped[str] = mapped_column(String(255))
    workflow_id: Mapped[str] = mapped_column(String(512), unique=True)
    definition_version: Mapped[int | None] = mapped_column(Integer)
    definition_sha256: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), ForeignKey("processes.id"))
    input: Mapped[dict[str, Any]] = mapped_column(JSONB)
    started_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # How and when it ended (completed | failed | cancelled), as recorded when it did; None while it runs.
    status: Mapped[str | None] = mapped_column(String(16))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Task(Base, TenantOwned):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_open", "tenant_id", "status", "assignee"),
        UniqueConstraint("process_id", "step_key"),
    )

    process_id: Mapped[uuid.UUID] = parent_key("processes", index=True)
    step: Mapped[int] = mapped_column(Integer)
    # Where in the process the task belongs: the step index of a code workflow, or the YAML step id
    # with the loop iteration and assignee index (``board-vote#2.1``). Unique per process.
    step_key: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    # "user:<email>" or "role:<name>"; reassigned on escalation.
    assignee: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | completed | expired | cancelled
    outcome: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str | None] = mapped_column(Text)
    completed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class SlaBreach(Base, TenantOwned):
    __tablename__ = "sla_breaches"

    task_id: Mapped[uuid.UUID] = parent_key("tasks", index=True)
    process_id: Mapped[uuid.UUID] = parent_key("processes", index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    breached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(32))  # escalated | rejected | approved
    detail: Mapped[str | None] = mapped_column(Text)
