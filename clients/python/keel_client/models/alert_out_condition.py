from enum import StrEnum


class AlertOutCondition(StrEnum):
    ANOMALY = "anomaly"
    CHANGE = "change"
    THRESHOLD = "threshold"

    def __str__(self) -> str:
        return str(self.value)
