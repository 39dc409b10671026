from enum import StrEnum


class RuleInKind(StrEnum):
    BLOCK = "block"
    CLOSURE = "closure"
    OVERRIDE = "override"
    WEEKLY = "weekly"

    def __str__(self) -> str:
        return str(self.value)
