from enum import StrEnum


class StartImportFilesBodyMode(StrEnum):
    INSERT = "insert"
    UPSERT = "upsert"

    def __str__(self) -> str:
        return str(self.value)
