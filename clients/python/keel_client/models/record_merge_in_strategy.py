from enum import StrEnum


class RecordMergeInStrategy(StrEnum):
    FILL_EMPTY = "fill_empty"
    KEEP_TARGET = "keep_target"
    PREFER_SOURCE = "prefer_source"

    def __str__(self) -> str:
        return str(self.value)
