"""Temporal workflow classes only: deterministic orchestration, no I/O."""

from workflows.approval import ApprovalWorkflow
from workflows.dsl import DslWorkflow

ALL_WORKFLOWS: list[type] = [ApprovalWorkflow, DslWorkflow]
