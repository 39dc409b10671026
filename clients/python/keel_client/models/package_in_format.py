from enum import StrEnum


class PackageInFormat(StrEnum):
    PDF = "pdf"
    ZIP = "zip"

    def __str__(self) -> str:
        return str(self.value)
