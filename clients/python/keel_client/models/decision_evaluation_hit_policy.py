from enum import StrEnum


class DecisionEvaluationHitPolicy(StrEnum):
    ANY = "any"
    COLLECT = "collect"
    FIRST = "first"
    PRIORITY = "priority"
    RULE_ORDER = "rule_order"
    UNIQUE = "unique"

    def __str__(self) -> str:
        return str(self.value)
