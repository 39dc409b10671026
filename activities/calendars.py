"""The calendar sync round: fetch the import's URL through the SSRF guard, replace its blocks."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio import activity

from activities import Deps
from adapters import safe_http
from domain.errors import ValidationFailed
from domain.scheduling.calendars import service as calendars
from domain.scheduling.calendars.schemas import CalendarSyncIn
from keel import crypto
from workflows import contracts

ACCEPT = "text/calendar, text/plain;q=0.5, */*;q=0.1"


class CalendarActivities:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @activity.defn(name=contracts.CALENDARS_SYNC)
    def sync(self, data: CalendarSyncIn) -> str:
        """One round. A feed that cannot be fetched or read is recorded on the import (``failed``,
        ``last_error``) and its blocks are kept; only database trouble raises (and is retried).
        Returns the import's status: ``stopped`` ends the workflow."""
        settings = self.deps.settings
        with self.deps.unit(data.tenant_id) as (session, ctx):
            target = calendars.to_fetch(session, ctx, data.import_id, crypto.box(settings))
        if target.url is None or target.timezone is None:
            return "stopped"
        error: str | None = None
        spans = []
        try:
            reply = safe_http.get(
                target.url,
                headers={"accept": ACCEPT, "user-agent": "Keel-Calendar/1"},
                timeout=settings.calendar_timeout_seconds,
                allow=safe_http.AllowList.parse(
                    settings.calendar_allow_private, calendars.CALENDAR_ALLOW_LIST
                ),
                max_bytes=settings.calendar_max_bytes,
            )
            if not 200 <= reply.status_code < 300:
                error = f"HTTP {reply.status_code} from the calendar URL"
            else:
                spans = calendars.busy_times(reply.body, target.timezone, datetime.now(UTC))
        except safe_http.Refused as exc:
            error = "refused: " + str(exc).replace("webhooks", "calendar imports")
        except safe_http.RequestFailed as exc:
            error = str(exc)
        except ValidationFailed as exc:
            error = exc.message
        with self.deps.unit(data.tenant_id) as (session, ctx):
            if error is not None:
                error = calendars.scrub(error, target.url)
                activity.logger.info("calendar sync failed", extra={"import_id": str(data.import_id)})
                return calendars.record_failure(session, ctx, data.import_id, error)
            return calendars.record_sync(session, ctx, data.import_id, spans, datetime.now(UTC))
