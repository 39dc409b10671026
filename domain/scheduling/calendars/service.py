"""iCalendar both ways: feeds of bookings (with signed subscription tokens) and busy times imported
from an external calendar into ``block`` rules.

Feed tokens are an HMAC over the tenant, the feed's scope (a resource id, or ``bookings`` for the
tenant-wide feed) and a version; the tenant id and the version travel in the token, so it is checked
without looking up any secret. Versions live in ``tenants.settings["calendar_feed_versions"]``:
rotating a feed's token bumps its version, and every URL given out before stops working.

Imported busy times: every event of the calendar (recurrences expanded from one day back to 180
days ahead, EXDATEs honoured; transparent and cancelled events skipped) becomes one block rule whose
``source`` is ``ics:<import id>``. A sync replaces that import's blocks in the caller's transaction,
so events deleted upstream disappear. Bookings already made are never touched by imported blocks:
a block only stops new bookings.

An import's URL is stored encrypted (``keel.crypto``): calendar apps publish private calendars as
capability links ("secret address in iCal format"). Callers who may change the resource's imports
(``resources:write``) read it back in full; everyone else sees only its scheme and host
(``url_redacted``), and it is never written to the audit log, events or the import's error.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar, Event
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from adapters import safe_http
from db.models import Allocation, AvailabilityRule, Booking, CalendarImport, Resource, Tenant
from domain import urlsafe
from domain.audit import service as audit
from domain.context import TenantContext
from domain.durations import format_duration, parse_duration
from domain.events import service as events
from domain.queries import find, live, mine
from domain.scheduling.calendars.ics_reading import busy_times
from domain.scheduling.calendars.schemas import CalendarFetch, CalendarImportIn, CalendarImportOut
from domain.scheduling.errors import Conflict, FieldError, NotFound, ValidationFailed
from domain.scheduling.intervals import Interval
from domain.scheduling.resources import service as resource_service
from keel.crypto import SecretBox

PRODID = "-//Keel//Scheduling//EN"
FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=180)
MAX_FEED_WINDOW = timedelta(days=731)
MAX_FEED_EVENTS = 5000
CALENDAR_ALLOW_LIST = "KEEL_CALENDAR_ALLOW_PRIVATE"  # named when a private address is refused
MIN_INTERVAL_SECONDS = 300
TENANT_SCOPE = "bookings"
VERSIONS_KEY = "calendar_feed_versions"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{48}")  # 36 bytes (tenant, version, MAC) in unpadded base64url
# Statuses a feed shows as happening: completed and no-show bookings did hold their resources.
FEED_STATUS = {
    "held": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "completed": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
    "expired": "CANCELLED",
}


# -- feed tokens --------------------------------------------------------------------------------


def _key(secret: str) -> bytes:
    """A key of its own, so a feed token can never pass for any other signature made with the secret."""
    return hashlib.sha256(b"keel calendar feed\x00" + secret.encode()).digest()


def _mac(secret: str, tenant_id: uuid.UUID, scope: str, version: int) -> bytes:
    message = f"{tenant_id}|{scope}|{version}".encode()
    return hmac.new(_key(secret), message, hashlib.sha256).digest()[:16]


def sign_token(secret: str, tenant_id: uuid.UUID, scope: str, version: int) -> str:
    raw = tenant_id.bytes + version.to_bytes(4, "big") + _mac(secret, tenant_id, scope, version)
    return urlsafe.encode(raw)


def read_token(secret: str, token: str, scope: str) -> tuple[uuid.UUID, int] | None:
    """The tenant and version a token names for this scope, or None if it was not signed for it.
    Only the exact spelling :func:`sign_token` gives is read: base64 decoding would otherwise skip
    padding and stray characters, so that many strings passed for one token."""
    if not TOKEN_SHAPE.fullmatch(token):
        return None
    raw = urlsafe.decode(token)
    if raw is None:
        return None
    tenant_id, version = uuid.UUID(bytes=raw[:16]), int.from_bytes(raw[16:20], "big")
    if not hmac.compare_digest(raw[20:], _mac(secret, tenant_id, scope, version)):
        return None
    return tenant_id, version


def _versions(tenant: Tenant) -> dict[str, int]:
    found = (tenant.settings or {}).get(VERSIONS_KEY) or {}
    return {str(k): int(v) for k, v in found.items()}


def _tenant(session: Session, tenant_id: uuid.UUID) -> Tenant:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("tenant", tenant_id)
    return tenant


def feed_token(session: Session, ctx: TenantContext, secret: str, scope: str, *, rotate: bool = False) -> str:
    """The subscription token of a feed; ``rotate`` revokes every earlier one first."""
    tenant = _tenant(session, ctx.tenant_id)
    versions = _versions(tenant)
    if rotate:
        versions[scope] = versions.get(scope, 0) + 1
        tenant.settings = {**(tenant.settings or {}), VERSIONS_KEY: versions}
        session.flush()
        audit.record(session, ctx, "calendar_feed.token_rotated", "calendar_feed", None, {"scope": scope})
    return sign_token(secret, ctx.tenant_id, scope, versions.get(scope, 0))


def context_from_token(session: Session, secret: str, token: str, scope: str) -> TenantContext | None:
    """A read-only context for the feed the token was signed for (the session is the tenant's, set by
    the caller from :func:`read_token`), or None when the token is forged, foreign or revoked."""
    found = read_token(secret, token, scope)
    if found is None:
        return None
    tenant_id, version = found
    tenant = session.get(Tenant, tenant_id)
    if tenant is None or not tenant.is_active or _versions(tenant).get(scope, 0) != version:
        return None
    return TenantContext(
        tenant_id=tenant_id,
        tenant_domain=tenant.domain,
        permissions=frozenset({"resources:read", "bookings:read"}),
        actor_type="system",
    )


# -- feeds ----------------------------------------------------------------------------------------


def feed_window(start: datetime | None, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """The window asked for (30 days back and 180 ahead by default), or a 422."""
    lo = (start or now - FEED_PAST).astimezone(UTC)
    hi = (end or (lo + FEED_PAST + FEED_AHEAD if start else now + FEED_AHEAD)).astimezone(UTC)
    if hi <= lo:
        raise ValidationFailed.one("to", "must be after from")
    if hi - lo > MAX_FEED_WINDOW:
        raise ValidationFailed.one("to", "the window may not exceed 731 days")
    return lo, hi


def _ical_dt(value: datetime) -> datetime:
    return value.astimezone(UTC)


def feed(
    session: Session,
    ctx: TenantContext,
    *,
    resource_id: uuid.UUID | None,
    start: datetime,
    end: datetime,
    now: datetime,
    name: str,
) -> bytes:
    """The bookings meeting [start, end) as an iCalendar feed, one VEVENT each (cancelled and
    expired ones as STATUS:CANCELLED, so subscribed calendars remove them). All times in UTC."""
    ctx.require("bookings:read")
    stmt = live(ctx, Booking).where(
        Booking.start_at < end,
        Booking.end_at > start,
        Booking.status.in_(list(FEED_STATUS)),
    )
    if resource_id is not None:
        stmt = stmt.where(
            exists().where(
                *mine(ctx, Allocation, deleted=True),
                Allocation.booking_id == Booking.id,
                Allocation.resource_id == resource_id,
            )
        )
    rows = session.scalars(stmt.order_by(Booking.start_at, Booking.id).limit(MAX_FEED_EVENTS))
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT15M")
    domain = ctx.tenant_domain or str(ctx.tenant_id)
    for booking in rows:
        event = Event()
        event.add("uid", f"{booking.id}@{domain}")
        event.add("dtstamp", _ical_dt(now))
        event.add("last-modified", _ical_dt(booking.updated_at or now))
        event.add("dtstart", _ical_dt(booking.start_at))
        event.add("dtend", _ical_dt(booking.end_at))
        event.add("summary", booking.subject or "Booking")
        event.add("status", FEED_STATUS[booking.status])
        # Calendar apps apply a change only when the sequence grows: seconds since creation do.
        created, changed = booking.created_at or now, booking.updated_at or now
        event.add("sequence", max(0, int((changed - created).total_seconds())))
        cal.add_component(event)
    return cal.to_ical()


# -- imports ------------------------------------------------------------------------------------


def source_of(import_id: uuid.UUID) -> str:
    return f"ics:{import_id}"


def workflow_id(import_id: uuid.UUID) -> str:
    return f"calendar-sync-{import_id}"


def redact_url(url: str) -> str:
    """Scheme and host only: the path and query of a private calendar's link are its secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}/…"


def scrub(message: str, url: str) -> str:
    """``message`` without the URL, or its path or query, in it (an HTTP library may quote them)."""
    parts = urlsplit(url)
    quoted = {url, parts.path, parts.query, parts.path + "?" + parts.query}
    for secret in sorted(quoted, key=len, reverse=True):
        if len(secret) > 1:
            message = message.replace(secret, "…")
    return message


def import_out(row: CalendarImport, box: SecretBox, ctx: TenantContext) -> CalendarImportOut:
    url = box.open(row.url) if row.url else None
    redacted = redact_url(url) if url else None
    return CalendarImportOut(
        id=row.id,
        resource_id=row.resource_id,
        kind="url" if row.url else "file",
        url=url if ctx.can("resources:write") else redacted,
        url_redacted=redacted,
        interval=format_duration(timedelta(seconds=row.interval_seconds)) if row.interval_seconds else None,
        status=row.status,
        last_synced_at=row.last_synced_at,
        last_error=row.last_error,
        events_imported=row.events_imported,
        workflow_id=row.workflow_id,
        created_at=row.created_at,
    )


def check_import(data: CalendarImportIn, allow_private: str) -> int:
    """The interval in seconds, or a 422 naming each bad field (the URL is vetted like a webhook's)."""
    bad: list[FieldError] = []
    seconds = 0
    try:
        seconds = int(parse_duration(data.interval).total_seconds())
        if seconds < MIN_INTERVAL_SECONDS:
            bad.append(FieldError("interval", "must be at least PT5M"))
        elif seconds > 7 * 86400:
            bad.append(FieldError("interval", "may not exceed P7D"))
    except ValueError as exc:
        bad.append(FieldError("interval", str(exc)))
    url = data.url.strip()
    if url.lower().startswith("webcal://"):  # what calendar apps publish: plain https underneath
        url = "https://" + url[len("webcal://") :]
    data.url = url
    try:
        target = safe_http.split_url(url)
        if "#" in url:
            raise safe_http.Refused("a fragment (#…) is never sent; remove it")
        safe_http.vet_host(
            target.host, target.port, safe_http.AllowList.parse(allow_private, CALENDAR_ALLOW_LIST)
        )
    except safe_http.Refused as exc:
        bad.append(FieldError("url", str(exc)))
    if len(url) > 2048:
        bad.append(FieldError("url", "may not exceed 2048 characters"))
    if bad:
        raise ValidationFailed(bad)
    return seconds


def _import(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, import_id: uuid.UUID
) -> CalendarImport:
    row = session.scalar(
        live(ctx, CalendarImport).where(
            CalendarImport.resource_id == resource_id, CalendarImport.id == import_id
        )
    )
    if row is None:
        raise NotFound("calendar import", import_id)
    return row


def create_url_import(
    session: Session,
    ctx: TenantContext,
    resource_id: uuid.UUID,
    data: CalendarImportIn,
    allow_private: str,
    box: SecretBox,
) -> CalendarImport:
    """A periodic import; the caller starts its workflow (``workflow_id``) after the commit."""
    ctx.require("resources:write")
    resource = resource_service.get(session, ctx, resource_id)
    seconds = check_import(data, allow_private)
    row = CalendarImport.new(
        ctx,
        resource_id=resource.id,
        url=box.seal(data.url),
        interval_seconds=seconds,
        status="active",
        events_imported=0,
        created_by=ctx.actor_id,
    )
    row.id = uuid.uuid4()
    row.workflow_id = workflow_id(row.id)
    session.add(row)
    session.flush()
    audit.record(session, ctx, "calendar_import.created", "resource", resource.id, {"import_id": str(row.id)})
    return row


def create_file_import(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, content: bytes, now: datetime
) -> CalendarImport:
    """A one-off import of a file: its busy times become blocks at once."""
    ctx.require("resources:write")
    resource = resource_service.get(session, ctx, resource_id)
    spans = busy_times(content, resource.timezone, now)
    row = CalendarImport.new(
        ctx,
        resource_id=resource.id,
        status="active",
        events_imported=0,
        created_by=ctx.actor_id,
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx, "calendar_import.created", "resource", resource.id, {"import_id": str(row.id)})
    replace_blocks(session, ctx, row, spans, now)
    return row


def reimport_file(
    session: Session,
    ctx: TenantContext,
    resource_id: uuid.UUID,
    import_id: uuid.UUID,
    content: bytes,
    now: datetime,
) -> CalendarImport:
    """A new version of a file import: its blocks become the new file's (events gone are freed)."""
    ctx.require("resources:write")
    row = get_import(session, ctx, resource_id, import_id)
    if row.url is not None:
        raise Conflict(
            "This import syncs a URL; a file replaces only a file import.", {"import_id": str(row.id)}
        )
    resource = resource_service.get(session, ctx, resource_id)
    replace_blocks(session, ctx, row, busy_times(content, resource.timezone, now), now)
    return row


def replace_blocks(
    session: Session, ctx: TenantContext, row: CalendarImport, spans: Sequence[Interval], now: datetime
) -> bool:
    """Make the import's blocks exactly ``spans``; whether anything changed. Imported rows are the
    import's own copies, deleted outright (not soft-deleted) so frequent syncs leave no trail."""
    source = source_of(row.id)
    current = session.execute(
        select(AvailabilityRule.starts_at, AvailabilityRule.ends_at).where(
            *mine(ctx, AvailabilityRule),
            AvailabilityRule.resource_id == row.resource_id,
            AvailabilityRule.source == source,
        )
    )
    before = sorted((s, e) for s, e in current if s is not None and e is not None)
    wanted = sorted(spans)
    row.status, row.last_error, row.last_synced_at = "active", None, now
    row.events_imported = len(wanted)
    if before == wanted:
        session.flush()
        return False
    _remove_blocks(session, ctx, row)
    session.add_all(
        AvailabilityRule.new(
            ctx,
            resource_id=row.resource_id,
            kind="block",
            weekdays=[],
            exdates=[],
            starts_at=s,
            ends_at=e,
            note="imported busy time",
            source=source,
        )
        for s, e in wanted
    )
    session.flush()
    events.emit(
        session,
        ctx,
        "resource.availability_changed",
        {"resource_id": str(row.resource_id), "calendar_import_id": str(row.id), "blocks": len(wanted)},
    )
    return True


def _remove_blocks(session: Session, ctx: TenantContext, row: CalendarImport) -> None:
    session.execute(
        delete(AvailabilityRule).where(
            *mine(ctx, AvailabilityRule, deleted=True),
            AvailabilityRule.resource_id == row.resource_id,
            AvailabilityRule.source == source_of(row.id),
        )
    )


def list_imports(session: Session, ctx: TenantContext, resource_id: uuid.UUID) -> list[CalendarImport]:
    return resource_service.of_resource(session, ctx, CalendarImport, resource_id)


def get_import(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, import_id: uuid.UUID
) -> CalendarImport:
    resource = resource_service.get(session, ctx, resource_id)
    return _import(session, ctx, resource.id, import_id)


def delete_import(
    session: Session, ctx: TenantContext, resource_id: uuid.UUID, import_id: uuid.UUID, now: datetime
) -> CalendarImport:
    """Stopped and soft-deleted, its blocks removed; the caller ends its workflow after the commit."""
    ctx.require("resources:write")
    row = get_import(session, ctx, resource_id, import_id)
    _remove_blocks(session, ctx, row)
    row.status, row.deleted_at, row.events_imported = "stopped", now, 0
    session.flush()
    audit.record(
        session, ctx, "calendar_import.deleted", "resource", row.resource_id, {"import_id": str(row.id)}
    )
    events.emit(
        session,
        ctx,
        "resource.availability_changed",
        {"resource_id": str(row.resource_id), "calendar_import_id": str(row.id), "blocks": 0},
    )
    return row


def discard_import(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> None:
    """Undo a URL import whose workflow could not be started."""
    row = find(session, ctx, CalendarImport, import_id, deleted=True)
    if row is not None:
        _remove_blocks(session, ctx, row)
        session.delete(row)
        session.flush()


# -- the sync's steps (the activity calls them) ----------------------------------------------------


def to_fetch(session: Session, ctx: TenantContext, import_id: uuid.UUID, box: SecretBox) -> CalendarFetch:
    """The URL and the resource's zone; nothing if the import, or its resource, is gone."""
    found = session.execute(
        select(CalendarImport.url, Resource.timezone)
        .join(Resource, Resource.id == CalendarImport.resource_id)
        .where(
            *mine(ctx, CalendarImport),
            CalendarImport.id == import_id,
            CalendarImport.status != "stopped",
            Resource.deleted_at.is_(None),
        )
    ).first()
    if found is None or found[0] is None:
        return CalendarFetch(url=None, timezone=None)
    return CalendarFetch(url=box.open(found[0]), timezone=found[1])


def _locked(session: Session, ctx: TenantContext, import_id: uuid.UUID) -> CalendarImport | None:
    return find(session, ctx, CalendarImport, import_id, for_update=True)


def record_sync(
    session: Session, ctx: TenantContext, import_id: uuid.UUID, spans: Iterable[Interval], now: datetime
) -> str:
    """Replace the blocks with a fetched calendar's; the import's status afterwards."""
    row = _locked(session, ctx, import_id)
    if row is None or row.status == "stopped":
        return "stopped"
    replace_blocks(session, ctx, row, list(spans), now)
    return row.status


def record_failure(session: Session, ctx: TenantContext, import_id: uuid.UUID, error: str) -> str:
    """A failed round: the blocks stay as they were, the error is shown, the next round retries."""
    row = _locked(session, ctx, import_id)
    if row is None or row.status == "stopped":
        return "stopped"
    row.status, row.last_error = "failed", error[:1000]
    session.flush()
    return row.status
