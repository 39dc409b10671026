from enum import StrEnum


class ListPricesTypeType0(StrEnum):
    ONE_TIME = "one_time"
    RECURRING = "recurring"

    def __str__(self) -> str:
        return str(self.value)
