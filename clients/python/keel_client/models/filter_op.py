from enum import StrEnum


class FilterOp(StrEnum):
    EQ = "eq"
    IN = "in"
    NE = "ne"
    NOT_IN = "not_in"

    def __str__(self) -> str:
        return str(self.value)
