from enum import StrEnum


class DunningInThenType0(StrEnum):
    MARK_UNCOLLECTIBLE = "mark_uncollectible"
    NOTIFY = "notify"

    def __str__(self) -> str:
        return str(self.value)
