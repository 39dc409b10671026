from enum import StrEnum


class UsageInModel(StrEnum):
    GRADUATED = "graduated"
    PACKAGE = "package"
    PER_UNIT = "per_unit"
    VOLUME = "volume"

    def __str__(self) -> str:
        return str(self.value)
