"""Temporal workflow classes only: deterministic orchestration, no I/O."""

from workflows.approval import ApprovalWorkflow

ALL_WORKFLOWS: list[type] = [ApprovalWorkflow]
