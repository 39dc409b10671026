from enum import StrEnum


class ItemOutKind(StrEnum):
    LICENSED = "licensed"
    USAGE = "usage"

    def __str__(self) -> str:
        return str(self.value)
