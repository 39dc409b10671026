from enum import StrEnum


class StampInPagesType0(StrEnum):
    ALL = "all"
    FIRST = "first"
    LAST = "last"

    def __str__(self) -> str:
        return str(self.value)
