from enum import StrEnum


class ReportSubscriptionOutScheduleKind(StrEnum):
    CRON = "cron"
    RRULE = "rrule"

    def __str__(self) -> str:
        return str(self.value)
