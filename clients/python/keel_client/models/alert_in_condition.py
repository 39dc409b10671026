from enum import StrEnum


class AlertInCondition(StrEnum):
    ANOMALY = "anomaly"
    CHANGE = "change"
    THRESHOLD = "threshold"

    def __str__(self) -> str:
        return str(self.value)
