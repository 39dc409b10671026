from enum import StrEnum


class WebhookDeliveryOutStatus(StrEnum):
    DISABLED = "disabled"
    FAILED = "failed"
    PENDING = "pending"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
