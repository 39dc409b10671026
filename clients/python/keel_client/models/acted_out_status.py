from enum import StrEnum


class ActedOutStatus(StrEnum):
    DECLINED = "declined"
    SIGNED = "signed"

    def __str__(self) -> str:
        return str(self.value)
