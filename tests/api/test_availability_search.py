"""POST /api/v1/availability/search through the live API: options ranked by each objective, a booking
that removes an option, and every bad input answered with the field (nothing else changes)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

SEARCH = "/api/v1/availability/search"
DAY = {"from": "2030-06-03T00:00:00Z", "to": "2030-06-04T00:00:00Z"}  # a Monday, in the future


def resource(
    admin: Api, name: str, tags: list[str], start: str = "09:00", end: str = "12:00"
) -> dict[str, Any]:
    body = {"name": name, "kind": "person", "timezone": "UTC", "tags": tags}
    created = data(admin.post("/api/v1/resources", json=body), 201)
    rule = {"kind": "weekly", "weekdays": [0, 1, 2, 3, 4], "start": start, "end": end}
    data(admin.post(f"/api/v1/resources/{created['id']}/availability-rules", json=rule), 201)
    return created


@pytest.fixture
def team(admin: Api) -> dict[str, Any]:
    suffix = uuid.uuid4().hex[:6]
    surgeon, room = f"surgeon-{suffix}", f"or-room-{suffix}"
    return {
        "surgeon": surgeon,
        "room": room,
        "early": resource(admin, "Early surgeon", [surgeon], "09:00", "12:00"),
        "late": resource(admin, "Late surgeon", [surgeon], "10:00", "12:00"),
        "theatre": resource(admin, "Theatre 1", [room], "08:00", "12:00"),
    }


def search(admin: Api, team: dict[str, Any], **extra: Any) -> Any:
    body = {
        "requirements": [{"tag": team["surgeon"], "count": 1}, {"tag": team["room"], "count": 1}],
        "duration": "PT1H",
        "window": DAY,
        "granularity": "PT30M",
    } | extra
    return admin.post(SEARCH, json=body)


def test_earliest_options_name_their_resources(admin, team) -> None:
    r = search(admin, team, limit=3)
    options = data(r)
    assert [o["start"] for o in options] == [
        "2030-06-03T09:00:00Z",
        "2030-06-03T09:30:00Z",
        "2030-06-03T10:00:00Z",
    ]
    first = options[0]
    assert first["end"] == "2030-06-03T10:00:00Z" and first["score"] == 540  # minutes after window.from
    assert first["resources"] == [
        {"id": team["early"]["id"], "name": "Early surgeon", "requirement": 0},
        {"id": team["theatre"]["id"], "name": "Theatre 1", "requirement": 1},
    ]
    meta = r.json()["meta"]
    assert meta["objective"] == "earliest" and meta["count"] == 3 and meta["granularity"] == "PT30M"
    assert [q["candidates"] for q in meta["requirements"]] == [2, 1]


def test_prefer_resources_and_balance_load_rank_by_their_objective(admin, team) -> None:
    late = team["late"]["id"]
    options = data(search(admin, team, preferences={"prefer_resources": [late]}, limit=2))
    assert [o["start"] for o in options] == ["2030-06-03T10:00:00Z", "2030-06-03T10:30:00Z"]
    assert all(o["resources"][0]["id"] == late and o["score"] == 1 for o in options)
    # The early surgeon books 10:00-11:00: the late one is now the less loaded.
    booking = {
        "resources": [team["early"]["id"]],
        "start": "2030-06-03T10:00:00Z",
        "duration": "PT1H",
        "requires_confirmation": False,
    }
    data(admin.post("/api/v1/bookings", json=booking), 201)
    balanced = data(search(admin, team, preferences={"balance_load": True}, limit=10))
    assert balanced[0]["resources"][0]["id"] == late and balanced[0]["start"] == "2030-06-03T10:00:00Z"
    assert balanced[0]["criteria"] == {
        "max_load_hours": 0.0,
        "total_load_hours": 0.0,
        "minutes_from_window_start": 600.0,
    }
    assert [(o["start"][11:16], o["resources"][0]["name"], o["score"]) for o in balanced] == [
        ("10:00", "Late surgeon", 0.0),
        ("10:30", "Late surgeon", 0.0),
        ("11:00", "Late surgeon", 0.0),  # both are free at 11:00: the less loaded
        ("09:00", "Early surgeon", 1.0),  # earlier, but with the more loaded surgeon
    ]


def test_a_booking_removes_the_option_it_takes(admin, team) -> None:
    before = [o["start"] for o in data(search(admin, team, limit=10))]
    assert before[:2] == ["2030-06-03T09:00:00Z", "2030-06-03T09:30:00Z"]
    booking = {
        "resources": [team["theatre"]["id"]],
        "start": "2030-06-03T09:00:00Z",
        "duration": "PT1H",
        "requires_confirmation": False,
    }
    data(admin.post("/api/v1/bookings", json=booking), 201)
    after = [o["start"] for o in data(search(admin, team, limit=10))]
    assert after == [s for s in before if s >= "2030-06-03T10:00:00Z"]  # the only room is taken until 10


def test_a_named_resource_and_no_double_use(admin, team) -> None:
    both = resource(admin, "Surgeon in theatre", [team["surgeon"], team["room"]], "11:00", "12:00")
    body = {
        "requirements": [{"resource": both["id"]}, {"tag": team["room"], "count": 1}],
        "duration": "PT1H",
        "window": DAY,
    }
    options = data(admin.post(SEARCH, json=body))
    assert [(o["start"], [c["id"] for c in o["resources"]]) for o in options] == [
        ("2030-06-03T11:00:00Z", [both["id"], team["theatre"]["id"]])
    ]
    two_rooms = body | {"requirements": [{"resource": both["id"]}, {"tag": team["room"], "count": 2}]}
    assert data(admin.post(SEARCH, json=two_rooms)) == []  # "both" cannot fill two places


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"requirements": []}, "requirements"),
        ({"requirements": [{"tag": "x", "count": 0}]}, "requirements.0.count"),
        ({"requirements": [{"tag": "x", "count": 11}]}, "requirements.0.count"),
        ({"requirements": [{"count": 1}]}, "requirements.0"),
        ({"duration": "PT50M"}, "duration"),
        ({"duration": "soon"}, "duration"),
        ({"granularity": "PT1M"}, "granularity"),
        ({"window": {"from": "2030-06-03T00:00:00Z", "to": "2030-07-05T00:00:00Z"}}, "window.to"),
        ({"window": {"from": "2030-06-03T00:00:00Z", "to": "2030-06-02T00:00:00Z"}}, "window.to"),
        ({"window": {"from": "2030-06-03T00:00:00", "to": "2030-06-04T00:00:00Z"}}, "window.from"),
        ({"preferences": {"earliest": True, "balance_load": True}}, "preferences"),
        ({"preferences": {"prefer_resources": []}}, "preferences.prefer_resources"),
        ({"limit": 51}, "limit"),
    ],
)
def test_bad_input_names_the_field(admin, team, change, field) -> None:
    error = error_of(search(admin, team, **change), 422, "validation_failed")
    assert field in [f["field"] for f in error["details"]["fields"]], error


def test_an_unknown_tag_says_so_and_a_count_beyond_the_tag(admin, team) -> None:
    r = search(admin, team, requirements=[{"tag": "nobody-has-this", "count": 1}])
    fields = error_of(r, 422, "validation_failed")["details"]["fields"]
    assert fields == [{"field": "requirements.0.tag", "message": "no resource has the tag 'nobody-has-this'"}]
    r = search(admin, team, requirements=[{"tag": team["surgeon"], "count": 3}])
    fields = error_of(r, 422, "validation_failed")["details"]["fields"]
    assert fields[0]["field"] == "requirements.0.count" and "only 2" in fields[0]["message"]


def test_unknown_and_other_tenants_resources_are_404(admin, team, api, make_tenant) -> None:
    error_of(search(admin, team, requirements=[{"resource": str(uuid.uuid4())}]), 404, "not_found")
    other = api(make_tenant("Other").api_key)
    theirs = resource(other, "Theirs", ["x"])
    error_of(search(admin, team, requirements=[{"resource": theirs["id"]}]), 404, "not_found")
    error_of(search(admin, team, preferences={"prefer_resources": [theirs["id"]]}), 404, "not_found")
    # Their tags are not ours either.
    error_of(search(admin, team, requirements=[{"tag": "x", "count": 1}]), 422, "validation_failed")
