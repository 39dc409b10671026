from enum import StrEnum


class FieldOutType(StrEnum):
    DATE = "date"
    INITIALS = "initials"
    SIGNATURE = "signature"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
