from enum import StrEnum


class ListSigningRequestsStatusType0(StrEnum):
    COMPLETED = "completed"
    COMPLETING = "completing"
    DECLINED = "declined"
    EXPIRED = "expired"
    SENT = "sent"
    VOIDED = "voided"

    def __str__(self) -> str:
        return str(self.value)
