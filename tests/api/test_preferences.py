"""The caller's notification preferences through the HTTP API: defaults, full replace, validation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

PATH = "/api/v1/me/notification-preferences"
DEFAULTS: dict[str, Any] = {
    "phone": None,
    "timezone": "UTC",
    "locale": "en",
    "quiet_hours": None,
    "opt_out": {},
    "push_endpoints": [],
    "critical_categories": ["security"],
}
GOOD = {
    "phone": "+44 20 7946 0958",
    "timezone": "Europe/London",
    "locale": "en-gb",
    "quiet_hours": {"start": "22:30", "end": "07:00"},
    "opt_out": {"marketing": ["sms", "email", "sms"], "approvals": ["push"], "digest": []},
    "push_endpoints": ["https://93.184.216.34/device/1", "http://localhost:8080/dev"],
}


def put(who: Api, payload: dict[str, Any]):
    return who.http.put(PATH, json=payload)


def test_defaults_then_a_full_replace_normalises_what_it_stores(admin):
    assert data(admin.get(PATH)) == DEFAULTS
    saved = data(put(admin, GOOD))
    assert saved == {
        "phone": "+442079460958",
        "timezone": "Europe/London",
        "locale": "en-GB",
        "quiet_hours": {"start": "22:30", "end": "07:00"},
        "opt_out": {"marketing": ["email", "sms"], "approvals": ["push"]},
        "push_endpoints": ["https://93.184.216.34/device/1", "http://localhost:8080/dev"],
        "critical_categories": ["security"],
    }
    assert data(admin.get(PATH)) == saved
    # A full replace: what is left out returns to its default. What GET returned may be sent back.
    assert data(put(admin, {"timezone": "Asia/Tokyo"})) == DEFAULTS | {"timezone": "Asia/Tokyo"}
    assert data(put(admin, saved)) == saved
    (entry, *_) = data(admin.get("/api/v1/audit", params={"entity_type": "notification_preferences"}))
    assert entry["action"] == "notification_preferences.updated" and "timezone" in entry["changes"]


def test_a_national_number_needs_its_region(admin):
    assert data(put(admin, {"phone": "020 7946 0958", "region": "GB"}))["phone"] == "+442079460958"
    assert data(put(admin, {"phone": "(212) 555-0100", "region": "us"}))["phone"] == "+12125550100"
    err = error_of(put(admin, {"phone": "020 7946 0958"}), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "phone"


@pytest.mark.parametrize(
    ("payload", "field", "says"),
    [
        ({"phone": "+44 12"}, "phone", "not a valid phone number"),
        ({"phone": "call me maybe"}, "phone", "not a phone number"),
        ({"phone": "123", "region": "XX"}, "region", "ISO 3166"),
        ({"timezone": "Mars/Olympus"}, "timezone", "IANA"),
        ({"timezone": "../../etc/passwd"}, "timezone", "IANA"),
        ({"locale": "english please"}, "locale", "BCP 47"),
        ({"quiet_hours": {"start": "25:00", "end": "07:00"}}, "quiet_hours.start", "pattern"),
        ({"quiet_hours": {"start": "7:00", "end": "07:00"}}, "quiet_hours.start", "pattern"),
        ({"quiet_hours": {"start": "22:00"}}, "quiet_hours.end", "required"),
        ({"opt_out": {"security": ["email"]}}, "opt_out.security", "cannot be opted out of"),
        ({"opt_out": {"marketing": ["fax"]}}, "opt_out.marketing.0", "email"),
        ({"opt_out": {"Not A Slug": ["sms"]}}, "opt_out.Not A Slug.[key]", "pattern"),
        ({"push_endpoints": ["http://push.example.com/x"]}, "push_endpoints.0", "https"),
        ({"push_endpoints": ["ftp://push.example.com/x"]}, "push_endpoints.0", "https"),
        ({"push_endpoints": ["https://user:pw@push.example.com/x"]}, "push_endpoints.0", "credentials"),
        (
            {"push_endpoints": [f"https://p.example.com/{i}" for i in range(11)]},
            "push_endpoints",
            "at most 10",
        ),
        ({"colour": "blue"}, "colour", "Extra inputs"),
        # The SSRF guard of webhooks, at save time (the live allow-list names only 127.0.0.0/8).
        ({"push_endpoints": ["https://169.254.169.254/latest/meta-data"]}, "push_endpoints.0", "link-local"),
        (
            {"push_endpoints": ["https://93.184.216.34/ok", "https://10.1.2.3/x"]},
            "push_endpoints.1",
            "private",
        ),
        ({"push_endpoints": ["https://192.168.0.10/x"]}, "push_endpoints.0", "private"),
        ({"push_endpoints": ["https://172.16.5.4/x"]}, "push_endpoints.0", "private"),
        ({"push_endpoints": ["https://[::1]/x"]}, "push_endpoints.0", "loopback"),
        ({"push_endpoints": ["https://[fd00::1]/x"]}, "push_endpoints.0", "private"),
        ({"push_endpoints": ["https://[fe80::1]/x"]}, "push_endpoints.0", "link-local"),
        ({"push_endpoints": ["https://[::ffff:169.254.169.254]/x"]}, "push_endpoints.0", "link-local"),
        ({"push_endpoints": ["https://0.0.0.0/x"]}, "push_endpoints.0", "unspecified"),
        ({"push_endpoints": ["https://nowhere.invalid/x"]}, "push_endpoints.0", "does not resolve"),
        ({"push_endpoints": ["https://93.184.216.34/x#frag"]}, "push_endpoints.0", "fragment"),
    ],
)
def test_bad_preferences_are_refused_on_the_field_and_change_nothing(admin, payload, field, says):
    before = data(put(admin, GOOD))
    err = error_of(put(admin, payload), 422, "validation_failed")
    problems = {f["field"]: f["message"] for f in err["details"]["fields"]}
    assert field in problems and says in problems[field], problems
    assert data(admin.get(PATH)) == before


def test_each_user_has_their_own(admin, api, tenant, make_tenant):
    data(
        admin.post(
            "/api/v1/users",
            json={"email": f"bea@{tenant.domain}", "password": "a-long-password", "roles": ["member"]},
        ),
        201,
    )
    bea = api(None).login(f"bea@{tenant.domain}", "a-long-password")
    data(put(admin, GOOD))
    assert data(bea.get(PATH)) == DEFAULTS
    assert data(put(bea, {"locale": "pt-BR"}))["locale"] == "pt-BR"
    assert data(admin.get(PATH))["locale"] == "en-GB"
    other = api(make_tenant("Other").api_key)
    assert data(other.get(PATH)) == DEFAULTS
    error_of(api(None).get(PATH), 401, "unauthenticated")
