from enum import StrEnum


class AnchorFieldInType(StrEnum):
    DATE = "date"
    INITIALS = "initials"
    SIGNATURE = "signature"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
