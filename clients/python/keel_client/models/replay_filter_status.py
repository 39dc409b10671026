from enum import StrEnum


class ReplayFilterStatus(StrEnum):
    DISABLED = "disabled"
    FAILED = "failed"

    def __str__(self) -> str:
        return str(self.value)
