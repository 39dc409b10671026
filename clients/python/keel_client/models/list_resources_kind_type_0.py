from enum import StrEnum


class ListResourcesKindType0(StrEnum):
    EQUIPMENT = "equipment"
    OTHER = "other"
    PERSON = "person"
    ROOM = "room"

    def __str__(self) -> str:
        return str(self.value)
