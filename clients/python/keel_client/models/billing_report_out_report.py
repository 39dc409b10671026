from enum import StrEnum


class BillingReportOutReport(StrEnum):
    AR_AGING = "ar-aging"
    MRR = "mrr"
    REVENUE = "revenue"
    TAX = "tax"

    def __str__(self) -> str:
        return str(self.value)
