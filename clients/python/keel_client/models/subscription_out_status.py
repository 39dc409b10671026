from enum import StrEnum


class SubscriptionOutStatus(StrEnum):
    ACTIVE = "active"
    CANCELED = "canceled"
    PAST_DUE = "past_due"
    PAUSED = "paused"
    SUSPENDED = "suspended"
    TRIALING = "trialing"

    def __str__(self) -> str:
        return str(self.value)
