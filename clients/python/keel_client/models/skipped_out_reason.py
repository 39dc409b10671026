from enum import StrEnum


class SkippedOutReason(StrEnum):
    CONFLICT = "conflict"
    OUTSIDE_AVAILABILITY = "outside_availability"

    def __str__(self) -> str:
        return str(self.value)
