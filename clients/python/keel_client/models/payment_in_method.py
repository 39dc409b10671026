from enum import StrEnum


class PaymentInMethod(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
