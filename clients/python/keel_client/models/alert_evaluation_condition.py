from enum import StrEnum


class AlertEvaluationCondition(StrEnum):
    ANOMALY = "anomaly"
    CHANGE = "change"
    THRESHOLD = "threshold"

    def __str__(self) -> str:
        return str(self.value)
