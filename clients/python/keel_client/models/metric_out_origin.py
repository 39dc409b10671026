from enum import StrEnum


class MetricOutOrigin(StrEnum):
    SHIPPED = "shipped"
    TENANT = "tenant"

    def __str__(self) -> str:
        return str(self.value)
