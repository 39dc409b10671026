from enum import StrEnum


class SubscriptionRunOutStatus(StrEnum):
    DELIVERED = "delivered"
    FAILED = "failed"
    RUNNING = "running"

    def __str__(self) -> str:
        return str(self.value)
