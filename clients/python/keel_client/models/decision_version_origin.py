from enum import StrEnum


class DecisionVersionOrigin(StrEnum):
    SHIPPED = "shipped"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
