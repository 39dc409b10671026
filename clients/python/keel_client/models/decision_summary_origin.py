from enum import StrEnum


class DecisionSummaryOrigin(StrEnum):
    SHIPPED = "shipped"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
