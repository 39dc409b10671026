from enum import StrEnum


class ReportSubscriptionInDelivery(StrEnum):
    ATTACHMENT = "attachment"
    LINK = "link"

    def __str__(self) -> str:
        return str(self.value)
