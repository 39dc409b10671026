from enum import StrEnum


class PublicQuoteOutStatus(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DRAFT = "draft"
    EXPIRED = "expired"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
