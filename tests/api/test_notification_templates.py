"""Notification templates through the HTTP API: create, versions, If-Match, preview, bad input, isolation."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

BASE = "/api/v1/notification-templates"


def body(key: str = "welcome", **extra: Any) -> dict[str, Any]:
    return {
        "key": key,
        "category": "onboarding",
        "description": "Sent when someone joins",
        "channels": {
            "email": {
                "en": {
                    "subject": "Welcome, {{ name }}",
                    "html": "<p>Welcome, {{ name }}</p>",
                    "text": "Welcome, {{ name }}",
                },
                "pt": {"subject": "Bem-vindo, {{ name }}", "text": "Bem-vindo, {{ name }}"},
            },
            "sms": {"en": {"text": "Welcome {{ name }}"}},
            "push": {"en": {"title": "Welcome", "body": "{{ name }}"}},
            "in_app": {"en": {"title": "Welcome", "body": "Hello {{ name }}"}},
        },
        **extra,
    }


def put(who: Api, key: str, payload: dict[str, Any], **headers: str):
    return who.http.put(f"{BASE}/{key}", json=payload, headers=headers)


def fields_of(response) -> dict[str, str]:
    err = error_of(response, 422, "validation_failed")
    return {f["field"]: f["message"] for f in err["details"]["fields"]}


def test_create_read_update_with_versions_and_etags(admin):
    created = admin.post(BASE, json=body())
    first = data(created, 201)
    assert created.headers["location"] == f"{BASE}/welcome" and created.headers["etag"]
    assert (first["key"], first["version"], first["builtin"], first["default_locale"]) == (
        "welcome",
        1,
        False,
        "en",
    )
    assert first["channels"]["email"]["pt"]["subject"] == "Bem-vindo, {{ name }}"
    error_of(admin.post(BASE, json=body()), 409, "conflict")

    got = admin.get(f"{BASE}/welcome")
    assert data(got) == first and got.headers["etag"] == created.headers["etag"]
    change = body()
    del change["key"]
    change["channels"]["sms"]["en"]["text"] = "Hi {{ name }}, welcome aboard"
    updated = put(admin, "welcome", change, **{"If-Match": got.headers["etag"]})
    second = data(updated)
    assert second["version"] == 2 and updated.headers["etag"] != got.headers["etag"]
    # Someone saving with the ETag they read before the change loses, and nothing is written.
    stale = put(admin, "welcome", change, **{"If-Match": got.headers["etag"]})
    assert error_of(stale, 412, "precondition_failed")["details"]["etag"] == updated.headers["etag"]
    assert data(admin.get(f"{BASE}/welcome"))["version"] == 2

    assert [v["version"] for v in data(admin.get(f"{BASE}/welcome/versions"))] == [2, 1]
    old = data(admin.get(f"{BASE}/welcome", params={"version": 1}))
    assert old["channels"]["sms"]["en"]["text"] == "Welcome {{ name }}"
    error_of(admin.get(f"{BASE}/welcome", params={"version": 9}), 404, "not_found")
    error_of(admin.get(f"{BASE}/nobody-knows"), 404, "not_found")
    error_of(put(admin, "nobody-knows", change), 404, "not_found")
    mismatch = put(admin, "welcome", change | {"key": "other"})
    assert "key" in fields_of(mismatch)

    entries = data(admin.get("/api/v1/audit", params={"entity_type": "notification_template"}))
    assert {e["action"] for e in entries} == {
        "notification_template.created",
        "notification_template.updated",
    }


def test_preview_renders_with_locale_fallback_and_escaping(admin):
    data(admin.post(BASE, json=body("preview-me")), 201)
    path = f"{BASE}/preview-me/preview"
    email = data(admin.post(path, json={"channel": "email", "locale": "pt-BR", "data": {"name": "<Ana>"}}))
    assert (email["locale"], email["version"], email["channel"]) == ("pt", 1, "email")
    assert email["fields"] == {"subject": "Bem-vindo, <Ana>", "html": "", "text": "Bem-vindo, <Ana>"}
    html = data(admin.post(path, json={"channel": "email", "locale": "de", "data": {"name": "<Ana>"}}))
    assert html["locale"] == "en" and html["fields"]["html"] == "<p>Welcome, &lt;Ana&gt;</p>"
    sms = data(admin.post(path, json={"channel": "sms"}))
    assert sms["fields"] == {"text": "Welcome "}  # undefined renders empty
    builtin = data(
        admin.post(f"{BASE}/task-assigned/preview", json={"channel": "push", "data": {"task_title": "Sign"}})
    )
    assert builtin["version"] == 0 and builtin["fields"]["title"] == "New task: Sign"
    assert "channel" in fields_of(admin.post(path, json={"channel": "fax"}))
    error_of(admin.post(f"{BASE}/nobody-knows/preview", json={"channel": "sms"}), 404, "not_found")


def test_builtins_are_listed_until_overridden(admin):
    listed = {t["key"]: t for t in data(admin.get(BASE, params={"limit": 200}))}
    assert {"task-assigned", "task-reminder", "task-escalated", "notification", "campaign"} <= set(listed)
    assigned = listed["task-assigned"]
    assert assigned["builtin"] and assigned["version"] == 0 and assigned["category"] == "approvals"
    assert assigned["locales"] == {"email": ["en"], "sms": ["en"], "push": ["en"], "in_app": ["en"]}

    builtin = admin.get(f"{BASE}/task-assigned")
    override = {"category": "approvals", "channels": {"sms": {"en": {"text": "Task: {{ task_title }}"}}}}
    saved = data(put(admin, "task-assigned", override, **{"If-Match": builtin.headers["etag"]}))
    assert (saved["version"], saved["builtin"]) == (1, False)
    listed = {t["key"]: t for t in data(admin.get(BASE, params={"limit": 200}))}
    assert listed["task-assigned"]["builtin"] is False and listed["task-assigned"]["locales"] == {
        "sms": ["en"]
    }
    versions = data(admin.get(f"{BASE}/task-assigned/versions"))
    assert [(v["version"], v["builtin"]) for v in versions] == [(1, False), (0, True)]
    one = admin.get(f"{BASE}/task-assigned/versions", params={"limit": 1}).json()
    assert [v["version"] for v in one["data"]] == [1] and one["meta"]["next_cursor"]
    rest = admin.get(
        f"{BASE}/task-assigned/versions", params={"limit": 1, "cursor": one["meta"]["next_cursor"]}
    )
    assert [v["version"] for v in data(rest)] == [0] and rest.json()["meta"]["next_cursor"] is None
    assert data(admin.get(f"{BASE}/task-assigned", params={"version": 0}))["builtin"] is True


def test_listing_pages_through_every_key_once(admin):
    for key in ("aa-1", "bb-2", "dd-4", "zz-9"):
        data(admin.post(BASE, json=body(key)), 201)
    data(put(admin, "notification", {"channels": {"sms": {"en": {"text": "x"}}}}))
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        response = admin.get(BASE, params=params).json()
        seen += [(t["key"], t["builtin"]) for t in response["data"]]
        assert response["meta"]["limit"] == 2 and len(response["data"]) <= 2
        cursor = response["meta"]["next_cursor"]
        if not cursor:
            break
    keys = [k for k, _ in seen]
    assert keys == sorted(keys) and len(keys) == len(set(keys))
    assert {"aa-1", "bb-2", "dd-4", "zz-9", "campaign", "task-reminder"} <= set(keys)
    assert ("notification", False) in seen
    error_of(admin.get(BASE, params={"cursor": "!!"}), 422, "validation_failed")


SYNTAX = "Hello\n{{ name }"


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (
            lambda b: b["channels"]["email"]["en"].update(subject=SYNTAX),
            "channels.email.en.subject",
            "line 2: unexpected '}'",
        ),
        (
            lambda b: b["channels"]["sms"]["en"].update(text="{{ ''.__class__ }}"),
            "channels.sms.en.text",
            "not allowed",
        ),
        (
            lambda b: b["channels"]["push"]["en"].update(body="{{ cycler.__init__.__globals__ }}"),
            "channels.push.en.body",
            "not allowed",
        ),
        (lambda b: b["channels"].update(fax={"en": {"text": "x"}}), "channels.fax", "unknown channel"),
        (
            lambda b: b["channels"]["sms"]["en"].update(subject="x"),
            "channels.sms.en.subject",
            "unknown field",
        ),
        (lambda b: b["channels"]["email"]["en"].pop("subject"), "channels.email.en.subject", "subject"),
        (lambda b: b["channels"]["email"]["pt"].pop("text"), "channels.email.pt.text", "html or text"),
        (lambda b: b["channels"]["sms"]["en"].pop("text"), "channels.sms.en.text", "needs text"),
        (lambda b: b["channels"]["in_app"]["en"].pop("title"), "channels.in_app.en.title", "needs title"),
        (lambda b: b["channels"]["sms"].update(pt=b["channels"]["sms"].pop("en")), "default_locale", "sms"),
        (lambda b: b["channels"]["sms"].update({"en_GB!": {"text": "x"}}), "channels.sms.en_GB!", "BCP 47"),
        (lambda b: b.update(key="Bad Key"), "key", "pattern"),
        (lambda b: b.update(key="x" * 101), "key", "at most 100"),
        (lambda b: b.update(default_locale="english"), "default_locale", "BCP 47"),
        (lambda b: b.update(channels={}), "channels", "at least 1"),
        (
            lambda b: b.update(
                sample_data={"name": 1}, channels={"sms": {"en": {"text": "{{ name.upper() }}"}}}
            ),
            "channels.sms.en.text",
            "UndefinedError",
        ),
        (lambda b: b.update(colour="blue"), "colour", "Extra inputs"),
    ],
)
def test_bad_templates_are_refused_with_the_field_and_nothing_is_saved(admin, change, field, says):
    payload = copy.deepcopy(body("refused"))
    change(payload)
    problems = fields_of(admin.post(BASE, json=payload))
    assert field in problems and says in problems[field], problems
    error_of(admin.get(f"{BASE}/refused"), 404, "not_found")


def test_a_bad_put_keeps_the_current_version(admin):
    data(admin.post(BASE, json=body("steady")), 201)
    broken = body()
    del broken["key"]
    broken["channels"]["sms"]["en"]["text"] = "{% for x in items %}{{ x }}"
    assert "channels.sms.en.text" in fields_of(put(admin, "steady", broken))
    assert [v["version"] for v in data(admin.get(f"{BASE}/steady/versions"))] == [1]


def test_huge_fields_are_refused(admin):
    payload = body("huge")
    payload["channels"]["sms"]["en"]["text"] = "x" * 100_001
    assert admin.post(BASE, json=payload).status_code in (413, 422)


def test_other_tenants_templates_are_invisible(admin, api, make_tenant):
    data(admin.post(BASE, json=body("private")), 201)
    other = api(make_tenant("Other").api_key)
    error_of(other.get(f"{BASE}/private"), 404, "not_found")
    error_of(other.get(f"{BASE}/private/versions"), 404, "not_found")
    error_of(other.post(f"{BASE}/private/preview", json={"channel": "sms"}), 404, "not_found")
    assert "private" not in {t["key"] for t in data(other.get(BASE, params={"limit": 200}))}
    # Their own "private" is their version 1, untouched by ours.
    mine = body("private")
    mine["channels"]["sms"]["en"]["text"] = "theirs"
    assert data(other.post(BASE, json=mine), 201)["version"] == 1
    assert data(admin.get(f"{BASE}/private"))["channels"]["sms"]["en"]["text"] == "Welcome {{ name }}"


def test_members_read_but_do_not_write_templates(admin, api, tenant):
    data(
        admin.post(
            "/api/v1/users",
            json={"email": f"reader@{tenant.domain}", "password": "a-long-password", "roles": ["member"]},
        ),
        201,
    )
    reader = api(None).login(f"reader@{tenant.domain}", "a-long-password")
    assert data(reader.get(f"{BASE}/task-assigned"))["key"] == "task-assigned"
    error_of(reader.post(BASE, json=body("mine")), 403, "forbidden")
    error_of(put(reader, "task-assigned", {"channels": {"sms": {"en": {"text": "x"}}}}), 403, "forbidden")
    error_of(api(None).get(BASE), 401, "unauthenticated")


def test_templates_list_the_variables_they_read_and_require(admin):
    listed = {t["key"]: t for t in data(admin.get(BASE, params={"limit": 200}))}
    assert listed["task-assigned"]["required"] == ["process", "task_title"]
    assert set(listed["task-assigned"]["variables"]) >= {"process", "task_title", "due_at", "url"}
    data(admin.post(BASE, json=body("vars")), 201)
    one = data(admin.get(f"{BASE}/vars"))
    assert (one["variables"], one["required"]) == (["name"], ["name"])


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("{{ 1 // 0 }}", "ZeroDivisionError"),
        ("{% for i in range(10**7) %}x{% endfor %}", "Range too big"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "longer than"),
        ("{{ 'x' * 10**9 }}", "would exceed"),
        ("{{ range(100000)|join('x' * 999999) }}", "would exceed"),
    ],
)
def test_templates_that_can_never_render_or_run_away_are_refused_at_save(admin, source, says):
    payload = body("never", channels={"sms": {"en": {"text": source}}})
    problems = fields_of(admin.post(BASE, json=payload))
    assert says in problems["channels.sms.en.text"]
    error_of(admin.get(f"{BASE}/never"), 404, "not_found")
