"""One run of a subscription, as the report-delivery workflow's activities drive it: ``begin`` records
the run (and, for a report, a report run whose file ``report_runs.execute`` writes), ``deliver`` makes
the export a signed download link (and, ``delivery: attachment``, attaches it when small enough) and
emails it to each recipient, ``fail`` records why it could not
and tells the subscription's owner.

The period a run covers ends when it started and begins at the schedule's previous run; times in the
emails are each recipient's (their notification preferences' time zone, else the subscription's).
Emails go through the deliveries service under a key per run and user, so a retried step emails nobody
twice; the export is stored as a document, downloaded through ``/api/v1/document-downloads/{token}``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from adapters.storage import ObjectStore
from db.models import Document, DocumentVersion
from db.models.analytics import ReportRun
from db.models.analytics_subscriptions import ReportSubscription, SubscriptionRun
from db.models.identity import User
from domain.analytics import dashboards, report_runs, reports
from domain.analytics.schemas import DashboardData, KpiValue, RunIn
from domain.analytics.subscriptions import schedule
from domain.analytics.subscriptions.schemas import Begun, DeliveryStart, RunFailed
from domain.billing.reports.export import cell_text
from domain.context import TenantContext
from domain.deliveries import service as deliveries
from domain.documents import downloads
from domain.documents.schemas import DocumentLimits
from domain.documents.service import create_document
from domain.errors import Conflict
from domain.events import service as events
from domain.notifications import preferences
from domain.outputs import plain
from domain.queries import find, get_or_404, live

CATEGORY = "analytics"
TEMPLATE = "notification"  # the built-in generic message: data ``title`` and ``body``
LINK_SECONDS = downloads.MAX_SECONDS
FAILED_EVENT = "analytics.subscription_failed"
TILE_COLUMNS = ["tile", "metric", "chart", "start", "group", "value"]
ATTACHMENT_BYTES = 10 << 20
"""An export up to this size is attached to the emails (``delivery: attachment``); a larger one is
linked only: with base64 it would pass what mail providers take (SendGrid: 30 MB a message)."""
LIMITS = DocumentLimits(max_bytes=25 << 20, max_pages=1)
"""An export up to this size becomes a document with a signed link; a larger one is downloaded from
its report run by a signed-in user."""


def _begun(run: SubscriptionRun) -> Begun:
    written = run.report_run_id
    return Begun(
        run_id=run.id,
        report_run_id=written,
        report_run_workflow_id=report_runs.workflow_id(written) if written else None,
    )


def begin(session: Session, ctx: TenantContext, start: DeliveryStart) -> Begun:
    """The run recorded (once: a retry finds it), with its report run queued for a report."""
    run = find(session, ctx, SubscriptionRun, start.run_id)
    if run is not None:
        return _begun(run)
    sub = get_or_404(session, ctx, ReportSubscription, start.subscription_id, "report subscription")
    since = schedule.previous_run(schedule.parse(sub.schedule), sub.timezone, start.at)
    run = SubscriptionRun.new(
        ctx,
        id=start.run_id,
        subscription_id=sub.id,
        status="running",
        period_start=since,
        period_end=start.at,
        recipients=0,
        detail={},
    )
    if sub.report_id is not None:
        asked = {"format": sub.format, "from": since, "to": start.at, "timezone": sub.timezone}
        run.report_run_id = report_runs.submit(session, ctx, sub.report_id, RunIn.model_validate(asked)).id
    session.add(run)
    session.flush()
    return _begun(run)


# -- the export -----------------------------------------------------------------------------------
def _tile_rows(data: DashboardData) -> list[list[Any]]:
    """A row per tile bucket (per group when grouped), or per KPI value."""
    rows: list[list[Any]] = []
    for tile in data.tiles:
        head = [tile.index, tile.metric, tile.chart]
        if tile.data is None:
            rows.append([*head, None, None, tile.error.message if tile.error else None])
        elif isinstance(tile.data, KpiValue):
            rows.append([*head, tile.data.start, None, tile.data.value])
        else:
            for bucket in tile.data.buckets:
                rows.append([*head, bucket.start, None, bucket.value])
                for group in bucket.groups or []:
                    rows.append([*head, bucket.start, json.dumps(plain(group.model_dump())), None])
    return rows


def dashboard_file(data: DashboardData, fmt: str) -> bytes:
    if fmt == "json":
        return data.model_dump_json(by_alias=True).encode()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TILE_COLUMNS)
    writer.writerows([cell_text(plain(v)) for v in row] for row in _tile_rows(data))
    return out.getvalue().encode()


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:80] or "export"


def _export(
    session: Session, ctx: TenantContext, sub: ReportSubscription, run: SubscriptionRun, store: ObjectStore
) -> tuple[str, bytes | None, str | None]:
    """The export's title and bytes, or (too large to be a document) None and the run's own download."""
    if sub.report_id is None:
        assert sub.dashboard_id is not None
        board = dashboards.get(session, ctx, sub.dashboard_id)
        return board.name, dashboard_file(dashboards.data(session, ctx, sub.dashboard_id), sub.format), None
    title = reports.row_of(session, ctx, sub.report_id).name
    written = get_or_404(session, ctx, ReportRun, run.report_run_id or uuid.UUID(int=0), "report run")
    if written.status != "completed" or written.file_key is None:
        raise Conflict(f"The report run is {written.status}; there is no file to send.")
    if (written.file_size or 0) > LIMITS.max_bytes:
        return title, None, f"/api/v1/reports/{sub.report_id}/runs/{written.id}/download"
    return title, b"".join(store.read(ctx.tenant_id, written.file_key)), None


@dataclass(frozen=True)
class Sent:
    """What the emails of a run say: the export's title, its link, when the link expires (None: it
    needs a sign-in), its size, and the file they carry (``delivery: attachment``, small enough)."""

    title: str
    link: str
    expires: datetime | None
    size: int | None
    attached: dict[str, Any] | None = None


def _sent(
    session: Session,
    ctx: TenantContext,
    sub: ReportSubscription,
    run: SubscriptionRun,
    store: ObjectStore,
    *,
    secret: str,
    base_url: str,
) -> Sent:
    title, content, fallback = _export(session, ctx, sub, run, store)
    base = base_url.rstrip("/")
    if content is None:
        return Sent(title, f"{base}{fallback}", None, None)
    doc = find(session, ctx, Document, run.document_id) if run.document_id else None
    if doc is None:
        name = f"{_slug(title)}-{run.period_end.date().isoformat()}.{sub.format}"
        doc = create_document(
            session,
            ctx,
            store,
            name=name,
            document_type="analytics-export",
            content=content,
            source="generated",
            limits=LIMITS,
        )
        run.document_id = doc.id
    token, expires = downloads.issue(secret, ctx.tenant_id, doc.id, doc.version, LINK_SECONDS)
    sent = Sent(title, f"{base}{downloads.PATH}{token}", expires, len(content))
    if sub.delivery != "attachment" or len(content) > ATTACHMENT_BYTES:
        return sent
    version = session.scalar(
        live(ctx, DocumentVersion).where(
            DocumentVersion.document_id == doc.id, DocumentVersion.version == doc.version
        )
    )
    assert version is not None  # a document has its current version
    # The format's own type: sniffing calls JSON and CSV plain text.
    file = {
        "name": doc.name,
        "content_type": report_runs.CONTENT_TYPES[sub.format],
        "key": version.storage_key,
    }
    return replace(sent, attached=file | {"size": len(content)})


# -- emails ---------------------------------------------------------------------------------------
def _when(at: datetime, zone: str) -> str:
    return at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def _zone(session: Session, ctx: TenantContext, user: User, fallback: str) -> str:
    prefs = preferences.for_user(session, ctx, user.id)
    return prefs.timezone if prefs is not None and prefs.timezone else fallback


def _email(
    session: Session,
    ctx: TenantContext,
    user: User,
    title: str,
    lines: list[str],
    key: str,
    attached: dict[str, Any] | None = None,
) -> None:
    if deliveries.by_dedup_key(session, ctx, key) is not None:
        return
    deliveries.create(
        session,
        ctx,
        recipient={"email": str(user.email)},
        user_id=user.id,
        template=TEMPLATE,
        data={"title": title, "body": "\n\n".join([f"Hello {user.full_name or user.email},", *lines])},
        channels=["email"],
        category=CATEGORY,
        dedup_key=key,
        hand_to_dispatcher=True,
        attachments=[attached] if attached else None,
    )


def _users(session: Session, ctx: TenantContext, ids: list[str]) -> list[User]:
    wanted = [uuid.UUID(i) for i in ids]
    found = {
        u.id: u for u in session.scalars(live(ctx, User).where(User.id.in_(wanted), User.is_active.is_(True)))
    }
    return [found[i] for i in wanted if i in found]


def _size(fmt: str, size: int | None) -> str:
    return fmt.upper() if size is None else f"{fmt.upper()}, {size} bytes"


def _lines(run: SubscriptionRun, kind: str, what: str, sent: Sent, zone: str, asked: str) -> list[str]:
    """The email's paragraphs, every time in the recipient's ``zone``."""
    end = _when(run.period_end, zone)
    if kind == "dashboard":
        covers = f"Its tiles were computed at {end}."
    elif run.period_start is not None:
        covers = f"It covers {_when(run.period_start, zone)} to {end}."
    else:
        covers = f"It covers everything up to {end}."
    until = f"the link works until {_when(sent.expires, zone)}" if sent.expires else "sign in to download it"
    if sent.attached:
        get = [
            f"It is attached as {sent.attached['name']}.",
            f"You can also download it ({until}): {sent.link}",
        ]
    elif asked == "attachment":
        mb = ATTACHMENT_BYTES >> 20
        get = [f"It is too large to attach (over {mb} MB); download it ({until}): {sent.link}"]
    else:
        get = [f"Download it ({until}): {sent.link}"]
    return [f"Here is the {what}, as of {end}.", covers, *get, f"Times are in {zone}."]


def deliver(
    session: Session, ctx: TenantContext, run_id: uuid.UUID, store: ObjectStore, *, secret: str, base_url: str
) -> int:
    """The export linked and emailed to each recipient still active; answers how many were emailed."""
    run = get_or_404(session, ctx, SubscriptionRun, run_id, "subscription run", for_update=True)
    sub = get_or_404(
        session, ctx, ReportSubscription, run.subscription_id, "report subscription", deleted=True
    )
    if run.status != "running":
        return run.recipients
    sent = _sent(session, ctx, sub, run, store, secret=secret, base_url=base_url)
    kind = "report" if sub.report_id else "dashboard"
    users = _users(session, ctx, sub.recipients)
    for user in users:
        zone = _zone(session, ctx, user, sub.timezone)
        subject = (
            f"{sent.title}: your {kind} of {run.period_end.astimezone(ZoneInfo(zone)).date().isoformat()}"
        )
        what = f"{kind} “{sent.title}” ({_size(sub.format, sent.size)})"
        lines = _lines(run, kind, what, sent, zone, sub.delivery)
        key = f"report-subscription-run:{run.id}:{user.id}"
        _email(session, ctx, user, subject, lines, key, sent.attached)
    run.status, run.recipients, run.finished_at = "delivered", len(users), datetime.now(UTC)
    expires = sent.expires.isoformat() if sent.expires else None
    run.detail = {"link_expires_at": expires, "size": sent.size, "attached": sent.attached is not None}
    session.flush()
    return len(users)


def fail(session: Session, ctx: TenantContext, failed: RunFailed) -> None:
    """The run failed after its retries (recorded now if it never began): the owner is told by email and
    an event is emitted. Nothing is reported for a subscription deleted meanwhile."""
    sub = find(session, ctx, ReportSubscription, failed.subscription_id)
    run = find(session, ctx, SubscriptionRun, failed.run_id, for_update=True)
    if sub is None or (run is not None and run.status != "running"):
        return
    if run is None:
        run = SubscriptionRun(
            id=failed.run_id, tenant_id=ctx.tenant_id, subscription_id=sub.id, period_end=failed.at, detail={}
        )
        session.add(run)
    run.status, run.error, run.finished_at = "failed", failed.error[:2000], datetime.now(UTC)
    run.recipients = 0
    owner = _users(session, ctx, [str(sub.created_by)]) if sub.created_by else []
    for user in owner:
        zone = _zone(session, ctx, user, sub.timezone)
        lines = [
            f"The run of your report subscription {sub.id} due at {_when(run.period_end, zone)} failed "
            f"after its retries: {run.error}",
            "Nobody was emailed. The next run goes ahead as scheduled.",
        ]
        _email(
            session, ctx, user, "A report subscription failed", lines, f"report-subscription-failed:{run.id}"
        )
    events.emit(
        session,
        ctx,
        FAILED_EVENT,
        {"subscription_id": str(sub.id), "run_id": str(run.id), "error": run.error},
    )
    session.flush()
