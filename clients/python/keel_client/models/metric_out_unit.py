from enum import StrEnum


class MetricOutUnit(StrEnum):
    AMOUNT = "amount"
    COUNT = "count"
    NUMBER = "number"
    SECONDS = "seconds"

    def __str__(self) -> str:
        return str(self.value)
