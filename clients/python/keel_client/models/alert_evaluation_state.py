from enum import StrEnum


class AlertEvaluationState(StrEnum):
    ERROR = "error"
    FIRING = "firing"
    INSUFFICIENT_HISTORY = "insufficient_history"
    NORMAL = "normal"
    NO_DATA = "no_data"

    def __str__(self) -> str:
        return str(self.value)
