from enum import StrEnum


class BookingOutStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    HELD = "held"
    NO_SHOW = "no_show"

    def __str__(self) -> str:
        return str(self.value)
