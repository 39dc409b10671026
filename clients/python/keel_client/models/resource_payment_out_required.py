from enum import StrEnum


class ResourcePaymentOutRequired(StrEnum):
    DEPOSIT = "deposit"
    FULL = "full"

    def __str__(self) -> str:
        return str(self.value)
