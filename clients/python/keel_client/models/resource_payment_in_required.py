from enum import StrEnum


class ResourcePaymentInRequired(StrEnum):
    DEPOSIT = "deposit"
    FULL = "full"

    def __str__(self) -> str:
        return str(self.value)
