from enum import StrEnum


class NotificationRequestStrategy(StrEnum):
    ALL = "all"
    FALLBACK = "fallback"

    def __str__(self) -> str:
        return str(self.value)
