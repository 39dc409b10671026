from enum import StrEnum


class ModelInfoKind(StrEnum):
    NO_SHOW = "no_show"
    PROCESS_COMPLETION = "process_completion"

    def __str__(self) -> str:
        return str(self.value)
