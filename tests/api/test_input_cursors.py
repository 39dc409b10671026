"""Every list refuses, at once, a cursor it did not issue: garbage, tampered, or another list's."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type

LISTS = [
    "/api/v1/entities/customer",
    "/api/v1/entity-types",
    "/api/v1/imports",
    "/api/v1/users",
    "/api/v1/roles",
    "/api/v1/me/inbox",
    "/api/v1/audit",
    "/api/v1/processes",
    "/api/v1/events",
    "/api/v1/tasks",
    "/api/v1/notifications",
    "/api/v1/notification-templates",
    "/api/v1/campaigns",
    "/api/v1/webhooks",
    "/api/v1/resources",
    "/api/v1/bookings",
    "/api/v1/dev/outbox",
]


def _unsigned(payload: object) -> str:
    """What the cursors used to be: base64 of JSON, which anyone could forge."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


GARBAGE = [
    "!!!garbage",
    "",
    "AAAA",
    "x" * 600,
    _unsigned(["2024-01-01T00:00:00+00:00", str(uuid.UUID(int=0))]),
    _unsigned({"s": "created_at", "v": "0001-01-01T00:00:00", "id": str(uuid.UUID(int=0))}),
    "8J-YgA",  # valid base64 of non-ASCII bytes
]


def _refused(response: object) -> None:
    err = error_of(response, 422, "validation_failed")  # type: ignore[arg-type]
    assert [f["field"] for f in err["details"]["fields"]] == ["cursor"]


@pytest.mark.parametrize("path", LISTS)
def test_garbage_cursors_are_refused_at_once(admin: Api, path: str) -> None:
    customer_type(admin)
    for cursor in GARBAGE:
        started = time.monotonic()
        _refused(admin.get(path, params={"cursor": cursor}))
        assert time.monotonic() - started < 5, (path, cursor)  # not the 8 s of a Temporal round trip


def _pages(admin: Api, path: str) -> list[str]:
    """Walks a list one row at a time; returns the cursors it was given."""
    seen: list[str] = []
    cursor = None
    while True:
        r = admin.get(path, params={"limit": 1} | ({"cursor": cursor} if cursor else {}))
        data(r)
        cursor = r.json()["meta"].get("next_cursor")
        if not cursor:
            return seen
        seen.append(cursor)


def _tampered(cursor: str) -> str:
    raw = bytearray(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    raw[3] ^= 1
    return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")


def test_issued_cursors_page_and_altered_ones_do_not(admin: Api) -> None:
    customer_type(admin)
    for name in ("a", "b", "c"):
        create(admin, {"name": name})
    for path in ("/api/v1/entities/customer", "/api/v1/roles", "/api/v1/audit"):
        cursors = _pages(admin, path)
        assert cursors, path
        _refused(admin.get(path, params={"cursor": _tampered(cursors[0])}))
        _refused(admin.get(path, params={"cursor": cursors[0] + "A"}))
    # One list's cursor is not another's, even where both page over (created_at, id).
    roles_cursor = _pages(admin, "/api/v1/roles")[0]
    _refused(admin.get("/api/v1/audit", params={"cursor": roles_cursor}))
    _refused(admin.get("/api/v1/entities/customer", params={"cursor": roles_cursor}))
    entity_cursor = _pages(admin, "/api/v1/entities/customer")[0]
    _refused(admin.get("/api/v1/users", params={"cursor": entity_cursor}))


def test_relationship_lists_refuse_garbage(admin: Api) -> None:
    customer_type(admin)
    record = create(admin, {"name": "a"})
    for cursor in GARBAGE:
        _refused(
            admin.get(f"/api/v1/entities/customer/{record['id']}/relationships", params={"cursor": cursor})
        )
