from enum import StrEnum


class DecisionEvaluationAggregationType0(StrEnum):
    COUNT = "count"
    MAX = "max"
    MIN = "min"
    SUM = "sum"

    def __str__(self) -> str:
        return str(self.value)
