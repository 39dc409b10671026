"""Process errors: shared error types, plus the one a workflow raises for a rejected decision."""

from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


class TaskClosed(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__(f"The task is already {status}.", {"task_status": status})


__all__ = ["Conflict", "NotFound", "PermissionDenied", "TaskClosed", "ValidationFailed"]
