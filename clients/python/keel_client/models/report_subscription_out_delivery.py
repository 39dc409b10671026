from enum import StrEnum


class ReportSubscriptionOutDelivery(StrEnum):
    ATTACHMENT = "attachment"
    LINK = "link"

    def __str__(self) -> str:
        return str(self.value)
