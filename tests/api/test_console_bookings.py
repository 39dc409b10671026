"""The console's bookings over HTTP, against the live stack: the week of a resource shows its free slots
as buttons and the booked ones as taken (mine named as mine), a group offers a slot while one of its
resources is free, my bookings list what I made with their cancel and reschedule forms, and the pages
refuse a member without the permission, name nothing for another organisation's ids, and answer a
page, not a 500, for query values they cannot use."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.api.conftest import Api, Live, data, error_of
from tests.api.test_console import browser, csrf_of, sign_in
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"


def booker(admin: Api, tenant: TenantFixture) -> str:
    """The email of a new user whose only role reads resources and reads and makes bookings."""
    role = f"booker{uuid.uuid4().hex[:6]}"
    perms = ["bookings:read", "bookings:write", "resources:read"]
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": perms}), 201)
    email = f"{role}@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}), 201)
    return email


def room(admin: Api, name: str, tags: list[str] | None = None) -> str:
    """A room open every day from 08:00 to 18:00 UTC."""
    body = {"name": name, "kind": "room", "timezone": "UTC", "tags": tags or []}
    made = data(admin.post("/api/v1/resources", json=body), 201)
    rule = {"kind": "weekly", "weekdays": list(range(7)), "start": "08:00", "end": "18:00"}
    data(admin.post(f"/api/v1/resources/{made['id']}/availability-rules", json=rule), 201)
    return str(made["id"])


def next_monday() -> date:
    """A Monday at least two days ahead: its slots are all ahead and outside the free-cancellation
    window (24 h) whatever the time of the run."""
    today = datetime.now(UTC).date()
    monday = today + timedelta(days=7 - today.weekday())
    return monday if monday - today >= timedelta(days=2) else monday + timedelta(days=7)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def slots(page: str) -> list[str]:
    """The starts of the free slots the page offers as buttons."""
    return re.findall(r'<button type="button" class="slot" data-start="([^"]+)"', page)


def book(client: httpx.Client, csrf: str, resource: str, start: datetime, **extra: Any) -> dict[str, Any]:
    """What the week's panel does: hold the slot, then confirm the hold."""
    body = {
        "resources": [resource],
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    headers = {"X-CSRF-Token": csrf}
    held = data(client.post("/api/v1/bookings", json=body | extra, headers=headers), 201)
    assert held["status"] == "held"
    return data(client.post(f"/api/v1/bookings/{held['id']}/confirm", headers=headers))


def test_the_week_offers_free_slots_and_shows_the_taken_ones(live: Live, admin: Api, tenant: TenantFixture):
    resource = room(admin, "Blue room")
    monday = next_monday()
    client = browser(live)
    assert client.get("/app/bookings").status_code == 303  # signed out: the sign-in page
    assert sign_in(client, booker(admin, tenant)).status_code == 303

    first = client.get("/app/bookings")
    assert first.status_code == 200 and "Blue room" in first.text
    assert "Choose a resource or a group above" in first.text and not slots(first.text)
    picked = client.get("/app/bookings", params={"pick": f"resource:{resource}", "week": monday.isoformat()})
    assert picked.status_code == 303
    assert picked.headers["location"].startswith(f"/app/bookings?resource={resource}&week={monday}")

    week = {"resource": resource, "week": f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"}
    page = client.get("/app/bookings", params=week)
    assert page.status_code == 200, page.text[-2000:]
    offered = slots(page.text)
    assert len(offered) == 7 * 10  # seven days of ten hours, one-hour slots
    assert (
        offered[0] == at(monday, 8).isoformat()
        and offered[-1] == at(monday + timedelta(days=6), 17).isoformat()
    )
    assert page.text.count('<section class="day"') == 7 and "Times are in UTC." in page.text
    assert f"week={monday - timedelta(days=7):%G-W%V}" in page.text  # the previous week's link
    assert f"week={monday + timedelta(days=7):%G-W%V}" in page.text
    # The same slots as the REST endpoint answers.
    rest = data(
        client.get(
            "/api/v1/availability",
            params={
                "resources": resource,
                "duration": "PT1H",
                "granularity": "PT1H",
                "from": at(monday, 0).isoformat(),
                "to": at(monday + timedelta(days=7), 0).isoformat(),
            },
        )
    )
    assert [datetime.fromisoformat(s["start"].replace("Z", "+00:00")).isoformat() for s in rest] == offered
    half = client.get("/app/bookings", params=week | {"length": "30"})
    assert len(slots(half.text)) == 7 * 20

    csrf = csrf_of(page.text)
    mine = book(client, csrf, resource, at(monday, 10), subject="Team sync")
    theirs = data(
        admin.post(
            "/api/v1/bookings",
            json={
                "resources": [resource],
                "start": at(monday, 14).isoformat(),
                "duration": "PT1H",
                "subject": "Private board meeting",
            },
        ),
        201,
    )
    after = client.get("/app/bookings", params=week | {"booked": mine["id"]})
    offered = slots(after.text)
    assert at(monday, 10).isoformat() not in offered and at(monday, 14).isoformat() not in offered
    assert len(offered) == 7 * 10 - 2
    assert f'class="taken mine" data-booking="{mine["id"]}"' in after.text and "Team sync" in after.text
    assert f'class="taken" data-booking="{theirs["id"]}"' in after.text
    assert "Private board meeting" not in after.text  # someone else's booking shows as taken, no more
    assert 'role="status"' in after.text and "Booked:" in after.text and "Blue room" in after.text
    # The same slot again, through the REST API: refused.
    again = admin.post(
        "/api/v1/bookings",
        json={"resources": [resource], "start": at(monday, 10).isoformat(), "duration": "PT1H"},
    )
    error_of(again, 409, "booking_conflict")
    # A booked id that names nothing of mine is a plain confirmation, never an error.
    assert client.get("/app/bookings", params=week | {"booked": "nonsense"}).status_code == 200


def test_a_group_offers_a_slot_while_one_of_its_resources_is_free(
    live: Live, admin: Api, tenant: TenantFixture
):
    tag = f"studio{uuid.uuid4().hex[:6]}"
    first, second = room(admin, "Studio A", [tag]), room(admin, "Studio B", [tag])
    monday = next_monday()
    client = browser(live)
    assert sign_in(client, booker(admin, tenant)).status_code == 303
    listed = client.get("/app/bookings")
    assert f'value="group:{tag}"' in listed.text
    week = {"group": tag, "week": monday.isoformat()}
    page = client.get("/app/bookings", params=week)
    assert page.status_code == 200 and len(slots(page.text)) == 70 and "2 free" in page.text
    at_nine = re.search(
        rf'data-start="{re.escape(at(monday, 9).isoformat())}"[^>]*data-resources="([^"]+)"', page.text
    )
    assert at_nine is not None and set(at_nine[1].split(",")) == {first, second}

    csrf = csrf_of(page.text)
    book(client, csrf, first, at(monday, 9))
    after = client.get("/app/bookings", params=week).text
    at_nine = re.search(
        rf'data-start="{re.escape(at(monday, 9).isoformat())}"[^>]*data-resources="([^"]+)"', after
    )
    assert at_nine is not None and at_nine[1] == second and "1 free" in after
    book(client, csrf, second, at(monday, 9))
    assert at(monday, 9).isoformat() not in slots(client.get("/app/bookings", params=week).text)


def test_my_bookings_upcoming_first_with_cancel_and_reschedule(live: Live, admin: Api, tenant: TenantFixture):
    resource = room(admin, "Green room")
    monday = next_monday()
    client = browser(live)
    assert sign_in(client, booker(admin, tenant)).status_code == 303
    empty = client.get("/app/bookings/mine")
    assert empty.status_code == 200 and "You have no upcoming booking" in empty.text

    csrf = csrf_of(empty.text)
    later = book(client, csrf, resource, at(monday + timedelta(days=2), 9), subject="Later one")
    sooner = book(client, csrf, resource, at(monday, 9), subject="Sooner one")
    gone = book(client, csrf, resource, at(monday, 12), subject="Dropped one")
    data(
        admin.post(
            "/api/v1/bookings",
            json={
                "resources": [resource],
                "start": at(monday, 15).isoformat(),
                "duration": "PT1H",
                "subject": "Not mine",
            },
        ),
        201,
    )
    headers = {"X-CSRF-Token": csrf}
    data(client.post(f"/api/v1/bookings/{gone['id']}/cancel", json={}, headers=headers))

    page = client.get("/app/bookings/mine")
    assert page.status_code == 200
    upcoming, past = page.text.split('id="past"')
    assert upcoming.index("Sooner one") < upcoming.index("Later one") and "Dropped one" not in upcoming
    assert "Dropped one" in past and 'data-status="cancelled"' in past and "Not mine" not in page.text
    assert f'class="booking-cancel" novalidate data-booking="{sooner["id"]}"' in upcoming
    assert f'class="booking-move" novalidate data-booking="{sooner["id"]}" data-minutes="60"' in upcoming
    assert f'value="{at(monday, 9):%Y-%m-%dT%H:%M}"' in upcoming  # the new start begins at the current one
    assert "Green room" in upcoming and 'data-status="confirmed"' in upcoming

    # What the page's forms send: a reschedule, then a cancel; the page confirms each.
    moved = client.patch(
        f"/api/v1/bookings/{later['id']}",
        json={
            "start": at(monday + timedelta(days=3), 11).isoformat(),
            "end": at(monday + timedelta(days=3), 12).isoformat(),
        },
        headers=headers,
    )
    assert data(moved)["start"].startswith(f"{monday + timedelta(days=3)}T11:00")
    assert "Booking moved." in client.get("/app/bookings/mine", params={"changed": "moved"}).text
    data(
        client.post(
            f"/api/v1/bookings/{sooner['id']}/cancel", json={"reason": "no longer needed"}, headers=headers
        )
    )
    after = client.get("/app/bookings/mine", params={"changed": "cancelled"}).text
    assert "Booking cancelled" in after
    upcoming, past = after.split('id="past"')
    assert "Sooner one" in past and "Sooner one" not in upcoming and "Later one" in upcoming
    assert "nonsense" not in client.get("/app/bookings/mine", params={"changed": "nonsense"}).text


def test_the_pages_refuse_strangers_and_bad_values_in_their_language(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, make_tenant: Any, api: Any
):
    resource = room(admin, "Red room")
    theirs = room(api(make_tenant("Bookings elsewhere").api_key), "Their room")
    member = browser(live)
    assert sign_in(member, approver).status_code == 303  # tasks only: no bookings:read
    for path in ("/app/bookings", "/app/bookings/mine", f"/app/bookings?resource={resource}"):
        refused = member.get(path)
        assert refused.status_code == 403 and "Not allowed" in refused.text, path
    assert 'href="/app/bookings"' not in member.get("/app/inbox").text  # no link to it either

    # Reading without bookings:write: the free slots are shown, not offered.
    role = f"reader{uuid.uuid4().hex[:6]}"
    perms = ["bookings:read", "resources:read"]
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": perms}), 201)
    data(
        admin.post(
            "/api/v1/users", json={"email": f"{role}@{tenant.domain}", "password": PASSWORD, "roles": [role]}
        ),
        201,
    )
    reader = browser(live)
    assert sign_in(reader, f"{role}@{tenant.domain}").status_code == 303
    looked = reader.get("/app/bookings", params={"resource": resource, "week": next_monday().isoformat()})
    assert looked.status_code == 200 and not slots(looked.text) and 'id="book-panel"' not in looked.text
    assert (
        "may look at the calendar but not book" in looked.text
        and looked.text.count('<span class="slot">') == 70
    )

    client = browser(live)
    assert sign_in(client, booker(admin, tenant)).status_code == 303
    assert 'href="/app/bookings"' in client.get("/app/bookings/mine").text
    for query in (
        {"resource": theirs},
        {"resource": str(uuid.uuid4())},
        {"resource": "not-a-uuid"},
        {"group": "no-such-group"},
    ):
        missing = client.get("/app/bookings", params=query)
        assert missing.status_code == 404 and "Not found" in missing.text, query
    for week in ("2026-W60", "yesterday", "0001-01-01", "9999-W01", "2026-02-30"):
        bad = client.get("/app/bookings", params={"resource": resource, "week": week})
        assert bad.status_code == 400 and "That week is not understood" in bad.text, week
    for length in ("7", "abc", "-60"):
        bad = client.get("/app/bookings", params={"resource": resource, "length": length})
        assert bad.status_code == 400 and "That length is not offered" in bad.text, length
    assert client.get("/app/bookings", params={"resource": resource, "week": "x" * 500}).status_code < 500
    assert client.get("/app/bookings", params={"resource": resource, "week": "2026-03-04"}).status_code == 200

    french = browser(live, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert sign_in(french, booker(admin, tenant)).status_code == 303
    page = french.get("/app/bookings", params={"resource": resource, "week": next_monday().isoformat()})
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Semaine suivante" in page.text
    assert "lundi" in page.text and "Réserver" in page.text
    assert "pas comprise" in french.get("/app/bookings", params={"week": "nope"}).text
    assert "Mes réservations" in french.get("/app/bookings/mine").text
