from enum import StrEnum


class ItemResultStatus(StrEnum):
    CREATED = "created"
    DELETED = "deleted"
    ERROR = "error"
    ROLLED_BACK = "rolled_back"
    UPDATED = "updated"

    def __str__(self) -> str:
        return str(self.value)
