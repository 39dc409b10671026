"""iCalendar feeds and imports through the live API: feed content parsed back, subscription tokens
(tampered, foreign, revoked), busy times imported from a file with a weekly RRULE and an EXDATE,
re-import, transparent events, and bad input."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import Engine, func, select, text

from db.models import AvailabilityRule
from db.models.scheduling import Resource
from db.session import tenant_session
from domain.context import TenantContext
from keel import crypto
from tests.api.conftest import Api, data, error_of
from tests.booking_rows import write_booking
from tests.conftest import TenantFixture

PARIS = ZoneInfo("Europe/Paris")
EVERY_DAY = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4, 5, 6], "start": "08:00", "end": "18:00"}


def resource(admin: Api, *rules: dict[str, Any], zone: str = "Europe/Paris") -> dict[str, Any]:
    body = {"name": f"room-{uuid.uuid4().hex[:6]}", "kind": "room", "timezone": zone}
    created = data(admin.post("/api/v1/resources", json=body), 201)
    for rule in rules:
        data(admin.post(f"/api/v1/resources/{created['id']}/availability-rules", json=rule), 201)
    return created


def book(
    engine: Engine, tenant: TenantFixture, resource_id: str, start: datetime, hours: float, status: str
) -> str:
    """A booking with its allocation, as the booking service writes them (cancelled: inactive)."""
    ctx = TenantContext.system(tenant.id, tenant.domain)
    with tenant_session(engine, tenant.id) as session:
        resource = session.get_one(Resource, uuid.UUID(resource_id))
        end = start + timedelta(hours=hours)
        return str(write_booking(session, ctx, [resource], start, end, status, f"{status} meeting").id)


def events_of(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def soon(days: int, hour: int) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    return base.replace(hour=hour) + timedelta(days=days)


def test_feed_lists_bookings_with_their_status_in_utc(admin, engine, tenant):
    room, other = resource(admin), resource(admin)
    held = book(engine, tenant, room["id"], soon(2, 9), 1, "held")
    confirmed = book(engine, tenant, room["id"], soon(3, 9), 1.5, "confirmed")
    cancelled = book(engine, tenant, room["id"], soon(4, 9), 1, "cancelled")
    elsewhere = book(engine, tenant, other["id"], soon(2, 9), 1, "confirmed")
    far = book(engine, tenant, room["id"], soon(400, 9), 1, "confirmed")  # outside the default window

    found = events_of(admin.get(f"/api/v1/resources/{room['id']}/calendar.ics"))
    assert set(found) == {f"{b}@{tenant.domain}" for b in (held, confirmed, cancelled)}
    event = found[f"{confirmed}@{tenant.domain}"]
    assert event["dtstart"].dt == soon(3, 9) and event["dtstart"].dt.utcoffset() == timedelta(0)
    assert event["dtend"].dt == soon(3, 9) + timedelta(hours=1.5)
    assert str(event["summary"]) == "confirmed meeting"
    statuses = {uid.split("@")[0]: str(e["status"]) for uid, e in found.items()}
    assert statuses == {held: "TENTATIVE", confirmed: "CONFIRMED", cancelled: "CANCELLED"}
    assert b"DTSTART:" in admin.get(f"/api/v1/resources/{room['id']}/calendar.ics").content  # UTC form

    everything = events_of(admin.get("/api/v1/bookings.ics"))
    assert {f"{b}@{tenant.domain}" for b in (held, elsewhere)} <= set(everything)
    assert f"{far}@{tenant.domain}" not in everything
    one = events_of(admin.get("/api/v1/bookings.ics", params={"resource": other["id"]}))
    assert set(one) == {f"{elsewhere}@{tenant.domain}"}
    window = {"from": (soon(380, 0)).isoformat(), "to": soon(420, 0).isoformat()}
    assert set(events_of(admin.get("/api/v1/bookings.ics", params=window))) == {f"{far}@{tenant.domain}"}


def test_feed_bad_input(admin, anonymous, make_tenant, api):
    room = resource(admin)
    error_of(anonymous.get(f"/api/v1/resources/{room['id']}/calendar.ics"), 401, "unauthenticated")
    error_of(admin.get(f"/api/v1/resources/{uuid.uuid4()}/calendar.ics"), 404, "not_found")
    stranger = api(make_tenant().api_key)
    error_of(stranger.get(f"/api/v1/resources/{room['id']}/calendar.ics"), 404, "not_found")
    backwards = {"from": "2026-05-02T00:00:00Z", "to": "2026-05-01T00:00:00Z"}
    error_of(admin.get("/api/v1/bookings.ics", params=backwards), 422, "validation_failed")
    error_of(
        admin.get("/api/v1/bookings.ics", params={"from": "2026-05-01T00:00:00"}), 422, "validation_failed"
    )


def test_token_url_grants_only_its_feed(admin, anonymous, engine, tenant, make_tenant, api):
    room, other = resource(admin), resource(admin)
    booking = book(engine, tenant, room["id"], soon(2, 10), 1, "confirmed")
    link = data(admin.post(f"/api/v1/resources/{room['id']}/calendar-token"))
    assert link["url"].endswith(f"/api/v1/resources/{room['id']}/calendar.ics?token={link['token']}")
    path = link["url"][link["url"].index("/api/v1/") :]
    assert set(events_of(anonymous.get(path))) == {f"{booking}@{tenant.domain}"}
    # The same token again: stable until rotated, so a subscription keeps working.
    assert data(admin.post(f"/api/v1/resources/{room['id']}/calendar-token"))["token"] == link["token"]

    token = link["token"]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    error_of(anonymous.get(path.replace(token, tampered)), 404, "not_found")
    error_of(anonymous.get(path.replace(token, "not-a-token")), 404, "not_found")
    error_of(anonymous.get(f"/api/v1/resources/{other['id']}/calendar.ics?token={token}"), 404, "not_found")
    error_of(anonymous.get(f"/api/v1/bookings.ics?token={token}"), 404, "not_found")
    # Another tenant's token for its own resource cannot open ours, nor theirs under our id.
    stranger = api(make_tenant().api_key)
    theirs = resource(stranger)
    their_token = data(stranger.post(f"/api/v1/resources/{theirs['id']}/calendar-token"))["token"]
    error_of(
        anonymous.get(f"/api/v1/resources/{room['id']}/calendar.ics?token={their_token}"), 404, "not_found"
    )

    tenant_link = data(admin.post("/api/v1/bookings/calendar-token"))
    tenant_path = tenant_link["url"][tenant_link["url"].index("/api/v1/") :]
    assert f"{booking}@{tenant.domain}" in events_of(anonymous.get(tenant_path))
    error_of(
        anonymous.get(f"/api/v1/resources/{room['id']}/calendar.ics?token={tenant_link['token']}"),
        404,
        "not_found",
    )

    rotated = data(admin.post(f"/api/v1/resources/{room['id']}/calendar-token", params={"rotate": "true"}))
    assert rotated["token"] != token
    error_of(anonymous.get(path), 404, "not_found")
    assert events_of(anonymous.get(rotated["url"][rotated["url"].index("/api/v1/") :]))
    assert events_of(anonymous.get(tenant_path))  # the tenant-wide feed was not rotated
    error_of(admin.post(f"/api/v1/resources/{uuid.uuid4()}/calendar-token"), 404, "not_found")


# -- imports ------------------------------------------------------------------------------------


def next_monday(weeks_ahead: int = 1) -> datetime:
    today = datetime.now(PARIS).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7) + timedelta(weeks=weeks_ahead - 1)
    return datetime(monday.year, monday.month, monday.day, tzinfo=PARIS)


def ics(*events: str) -> bytes:
    body = "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN", *events, "END:VCALENDAR"]
    )
    return (body + "\r\n").encode()


def vevent(uid: str, start: datetime, hours: float, *extra: str) -> str:
    fmt = "%Y%m%dT%H%M%S"
    end = start + timedelta(hours=hours)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART;TZID=Europe/Paris:{start:{fmt}}",
        f"DTEND;TZID=Europe/Paris:{end:{fmt}}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def free_at(admin: Api, room: dict[str, Any], start: datetime, hours: float = 1) -> bool:
    params = {
        "resources": room["id"],
        "duration": f"PT{int(hours * 60)}M",
        "granularity": "PT15M",
        "from": start.isoformat(),
        "to": (start + timedelta(hours=hours)).isoformat(),
    }
    return bool(data(admin.get("/api/v1/availability", params=params)))


def blocks(admin: Api, room: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    rules = data(admin.get(f"/api/v1/resources/{room['id']}/availability-rules"))
    return sorted((r["starts_at"], r["ends_at"], r["source"]) for r in rules if r["kind"] == "block")


def upload(admin: Api, room: dict[str, Any], content: bytes) -> Any:
    headers = {"content-type": "text/calendar"}
    return admin.post(f"/api/v1/resources/{room['id']}/calendar-imports", content=content, headers=headers)


def test_file_import_blocks_weekly_occurrences_except_exdate(admin, engine, tenant):
    room = resource(admin, EVERY_DAY)
    monday = next_monday().replace(hour=10)
    booked = book(engine, tenant, room["id"], (monday + timedelta(weeks=2)).astimezone(UTC), 1, "confirmed")
    content = ics(
        vevent(
            "weekly",
            monday,
            1,
            "RRULE:FREQ=WEEKLY;COUNT=4",
            f"EXDATE;TZID=Europe/Paris:{monday + timedelta(weeks=1):%Y%m%dT%H%M%S}",
        ),
        vevent("free-time", monday.replace(hour=14), 2, "TRANSP:TRANSPARENT"),
        vevent("called-off", monday.replace(hour=16), 1, "STATUS:CANCELLED"),
    )
    created = data(upload(admin, room, content), 201)
    assert created["kind"] == "file" and created["status"] == "active" and created["url"] is None
    assert created["events_imported"] == 3 and created["last_synced_at"]
    source = f"ics:{created['id']}"
    got = blocks(admin, room)
    utc = [(monday + timedelta(weeks=w)).astimezone(UTC) for w in (0, 2, 3)]
    assert [(datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e, _ in got] == [
        (u, u + timedelta(hours=1)) for u in utc
    ]
    assert {src for _, _, src in got} == {source}

    assert not free_at(admin, room, monday)
    assert free_at(admin, room, monday + timedelta(weeks=1))  # the EXDATE
    assert free_at(admin, room, monday.replace(hour=14), 2)  # transparent: not busy
    assert free_at(admin, room, monday.replace(hour=16))  # cancelled: not busy
    assert free_at(admin, room, monday.replace(hour=11))
    # An imported block never touches a booking already made.
    assert data(admin.get(f"/api/v1/bookings/{booked}"))["status"] == "confirmed"
    listed = data(admin.get(f"/api/v1/resources/{room['id']}/calendar-imports"))
    assert [i["id"] for i in listed] == [created["id"]]


def test_reimport_replaces_the_blocks_and_delete_removes_them(admin):
    room = resource(admin, EVERY_DAY)
    monday = next_monday().replace(hour=9)
    first = data(
        upload(admin, room, ics(vevent("a", monday, 1), vevent("b", monday.replace(hour=15), 1))), 201
    )
    path = f"/api/v1/resources/{room['id']}/calendar-imports/{first['id']}"
    assert len(blocks(admin, room)) == 2
    # "b" was deleted upstream, "c" added: the import's blocks follow, other blocks stay.
    manual = {
        "kind": "block",
        "starts_at": monday.replace(hour=12).isoformat(),
        "ends_at": monday.replace(hour=13).isoformat(),
    }
    data(admin.post(f"/api/v1/resources/{room['id']}/availability-rules", json=manual), 201)
    new = ics(vevent("a", monday, 1), vevent("c", monday.replace(hour=17), 0.5))
    again = data(admin.put(path, content=new, headers={"content-type": "text/calendar"}))
    assert again["events_imported"] == 2
    got = blocks(admin, room)
    assert len(got) == 3 and [src for *_, src in got].count(None) == 1
    assert free_at(admin, room, monday.replace(hour=15)) and not free_at(
        admin, room, monday.replace(hour=17), 0.5
    )
    # A multipart upload works the same way.
    files = {"file": ("cal.ics", new, "text/calendar")}
    data(admin.put(path, files=files))

    removed = data(admin.delete(path))
    assert removed["status"] == "stopped"
    assert [src for *_, src in blocks(admin, room)] == [None]
    assert free_at(admin, room, monday)
    error_of(admin.get(path), 404, "not_found")
    assert data(admin.get(f"/api/v1/resources/{room['id']}/calendar-imports")) == []


def test_import_bad_input_changes_nothing(admin, engine, tenant, make_tenant, api):
    room = resource(admin, EVERY_DAY)
    imports = f"/api/v1/resources/{room['id']}/calendar-imports"
    err = error_of(upload(admin, room, b"name,start\nmeeting,2026-01-01\n"), 422, "invalid_calendar")
    assert err["details"]["fields"][0]["field"] == "file"
    error_of(
        upload(admin, room, b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\n"),
        422,
        "invalid_calendar",
    )
    error_of(upload(admin, room, b"\xff\xfe\x00"), 422, "invalid_calendar")
    error_of(upload(admin, room, b""), 422, "validation_failed")
    error_of(admin.post(imports, json={"url": "http://127.0.0.1:9/cal.ics"}), 422, "validation_failed")
    err = error_of(
        admin.post(imports, json={"url": "ftp://example.com/x.ics", "interval": "PT1M"}),
        422,
        "validation_failed",
    )
    assert {f["field"] for f in err["details"]["fields"]} == {"url", "interval"}
    error_of(admin.post(imports, json={"interval": "PT15M"}), 422, "validation_failed")
    error_of(
        admin.post(imports, content=b"{nope", headers={"content-type": "application/json"}),
        400,
        "bad_request",
    )
    error_of(upload(admin, {"id": str(uuid.uuid4())}, ics()), 404, "not_found")
    stranger = api(make_tenant().api_key)
    error_of(upload(stranger, room, ics()), 404, "not_found")
    assert data(admin.get(imports)) == []
    with tenant_session(engine, tenant.id) as session:
        count = session.scalar(
            select(func.count()).select_from(AvailabilityRule).where(AvailabilityRule.kind == "block")
        )
    assert count == 0


# -- import URLs are secrets ---------------------------------------------------------------------

PRIVATE_URL = "https://93.184.216.34/calendar/ical/team%40example.com/private-9c1b7e/basic.ics"


def test_import_url_is_sealed_and_shown_in_full_only_to_writers(admin, api, admin_engine, tenant, settings):
    room = resource(admin, EVERY_DAY)
    imports = f"/api/v1/resources/{room['id']}/calendar-imports"
    created = data(admin.post(imports, json={"url": PRIVATE_URL.replace("https://", "webcal://")}), 201)
    # The caller who manages imports gets the URL back (webcal:// read as https://).
    assert created["kind"] == "url" and created["url"] == PRIVATE_URL
    assert created["url_redacted"] == "https://93.184.216.34/…"
    with admin_engine.connect() as conn:
        raw = conn.execute(
            text("SELECT url FROM calendar_imports WHERE id = :id"), {"id": created["id"]}
        ).scalar_one()
    assert "private-9c1b7e" not in raw and "93.184.216.34" not in raw
    assert crypto.box(settings).open(raw) == PRIVATE_URL

    # A caller who may only read resources sees the scheme and host.
    data(admin.post("/api/v1/roles", json={"name": "viewer", "permissions": ["resources:read"]}), 201)
    email = f"viewer-{uuid.uuid4().hex[:6]}@{tenant.domain}"
    body = {"email": email, "password": "a-long-password", "roles": ["viewer"]}
    data(admin.post("/api/v1/users", json=body), 201)
    viewer = api(None).login(email, "a-long-password")
    (listed,) = data(viewer.get(imports))
    one = data(viewer.get(f"{imports}/{created['id']}"))
    assert listed["url"] == one["url"] == "https://93.184.216.34/…"
    assert "private-9c1b7e" not in repr(data(viewer.get(imports)))
    assert data(admin.get(f"{imports}/{created['id']}"))["url"] == PRIVATE_URL
    error_of(viewer.delete(f"{imports}/{created['id']}"), 403, "forbidden")

    removed = data(admin.delete(f"{imports}/{created['id']}"))
    assert removed["status"] == "stopped"
    # Neither the audit log nor the events carry the URL.
    audit = admin.get("/api/v1/audit", params={"entity_id": room["id"]})
    assert audit.status_code == 200 and len(data(audit)) >= 2
    assert "private-9c1b7e" not in audit.text
    with admin_engine.connect() as conn:
        leaked = conn.execute(
            text(
                "SELECT count(*) FROM outbox_events WHERE tenant_id = :t AND payload::text LIKE '%private-9c1b7e%'"
            ),
            {"t": tenant.id},
        ).scalar_one()
    assert leaked == 0


# -- hostile input ------------------------------------------------------------------------------


def test_hostile_calendar_files_are_refused_and_change_nothing(admin, engine, tenant):
    room = resource(admin, EVERY_DAY)
    monday = next_monday().replace(hour=9)
    kept = data(upload(admin, room, ics(vevent("kept", monday, 1))), 201)
    path = f"/api/v1/resources/{room['id']}/calendar-imports/{kept['id']}"
    before = blocks(admin, room)
    hostile = [
        ics(vevent("s", monday, 1, "RRULE:FREQ=SECONDLY;COUNT=1000000000")),
        ics(vevent("z", monday, 1, "RRULE:FREQ=DAILY;INTERVAL=0")),
        ics(vevent("b", monday, 1, "RRULE:FREQ=HOURLY;BYSECOND=" + ",".join(map(str, range(60))))),
        ics(*(["BEGIN:X"] * 2000), *(["END:X"] * 2000)),
        ics("BEGIN:VEVENT", "UID:y", "DTSTART:99991231T230000Z", "DURATION:PT2H", "END:VEVENT"),
        ics(vevent("tz", monday, 1).replace("TZID=Europe/Paris", "TZID=" + "A" * 300)),
        ics(vevent("nul", monday, 1).replace("DTSTART;", "DTSTART;X=\x00;")),
    ]
    for content in hostile:
        began = time.monotonic()
        err = error_of(upload(admin, room, content), 422, "invalid_calendar")
        assert err["details"]["fields"][0]["field"] == "file"
        headers = {"content-type": "text/calendar"}
        error_of(admin.put(path, content=content, headers=headers), 422, "invalid_calendar")
        assert time.monotonic() - began < 10
    assert [i["id"] for i in data(admin.get(f"/api/v1/resources/{room['id']}/calendar-imports"))] == [
        kept["id"]
    ]
    assert blocks(admin, room) == before


def test_garbage_feed_tokens_are_404(admin, anonymous):
    room = resource(admin)
    link = data(admin.post(f"/api/v1/resources/{room['id']}/calendar-token"))
    tenant_link = data(admin.post("/api/v1/bookings/calendar-token"))
    feeds = [
        (f"/api/v1/resources/{room['id']}/calendar.ics", link["token"]),
        ("/api/v1/bookings.ics", tenant_link["token"]),
    ]
    for path, token in feeds:
        garbage = [
            "",
            "x",
            "!!!!",
            "é" * 8,
            "A" * 4000,
            token[:-3],
            token[:20],
            token + "AAAA",
            token + "===",
            token[:10] + "!!" + token[10:],
            token[:10] + "." + token[10:],
        ]
        for bad in garbage:
            error_of(anonymous.get(path, params={"token": bad}), 404, "not_found")
        assert events_of(anonymous.get(path, params={"token": token})) == {}  # the real one: no bookings
    # Another resource's token, and a token for a resource that does not exist.
    other = resource(admin)
    error_of(
        anonymous.get(f"/api/v1/resources/{other['id']}/calendar.ics", params={"token": link["token"]}),
        404,
        "not_found",
    )
    error_of(
        anonymous.get(f"/api/v1/resources/{uuid.uuid4()}/calendar.ics", params={"token": link["token"]}),
        404,
        "not_found",
    )
