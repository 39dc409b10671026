from enum import StrEnum


class ReportSubscriptionPatchDeliveryType0(StrEnum):
    ATTACHMENT = "attachment"
    LINK = "link"

    def __str__(self) -> str:
        return str(self.value)
