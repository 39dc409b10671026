"""The console at /app over HTTP, against the live stack: signing in sets HttpOnly, Secure, SameSite=Lax
cookies (a wrong password sets none), every page carries the strict CSP, the inbox lists one's own open
tasks overdue first, a decision through the REST API needs the session's CSRF token, another tenant's
task is the 404 page, pages speak French when asked, and signing out ends the session."""

from __future__ import annotations

import json
import re
import time
import uuid
from http.cookies import SimpleCookie
from typing import Any

import httpx
import pyotp

from tests.api.conftest import Api, Live, data
from tests.api.test_processes import approval, eventually
from tests.conftest import TenantFixture

PASSWORD = "a-long-password"


def browser(live: Live, **headers: str) -> httpx.Client:
    """A client that keeps cookies as a browser does on 127.0.0.1, a secure context: Secure ones too
    (httpx's jar sends those over HTTPS only), every path alike."""
    client = httpx.Client(base_url=live.url, follow_redirects=False, timeout=30, headers=headers)

    def keep(response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                client.cookies.delete(name)
                if morsel["max-age"] != "0" and "1970" not in morsel["expires"]:
                    client.cookies.set(name, morsel.value)

    client.event_hooks["response"] = [keep]
    return client


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/app/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None, form.text
    return client.post("/app/sign-in", data={"login": email, "password": password, "csrf_token": token[1]})


def csrf_of(page: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)">', page)
    assert found is not None, page
    return found[1]


def cookie_flags(response: httpx.Response, name: str) -> str:
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return header.lower()


def start_for(admin: Api, tenant: TenantFixture, email: str, key: str) -> dict[str, Any]:
    body = approval(tenant, key, chain=[{"assignee": f"user:{email}", "due": "P2D"}])
    return data(admin.post("/api/v1/processes", json=body), 201)


def test_sign_in_sets_safe_cookies_and_the_inbox_lists_my_tasks(
    live: Live, admin: Api, tenant: TenantFixture, approver: str
):
    process = start_for(admin, tenant, approver, f"CONSOLE-{uuid.uuid4().hex[:6]}")
    client = browser(live)
    assert client.get("/app").headers["location"] == "/app/inbox"
    bounced = client.get("/app/inbox")
    assert bounced.status_code == 303 and bounced.headers["location"] == "/app/sign-in"
    page = client.get("/app/sign-in")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

    wrong = sign_in(client, approver, "not-the-password")
    assert wrong.status_code == 401 and "keel_access" not in wrong.headers.get("set-cookie", "")
    assert 'role="alert"' in wrong.text

    signed = sign_in(client, approver)
    assert signed.status_code == 303 and signed.headers["location"] == "/app/inbox"
    for name in ("keel_access", "keel_refresh"):
        flags = cookie_flags(signed, name)
        assert "httponly" in flags and "secure" in flags and "samesite=lax" in flags, flags
    task = eventually(lambda: data(admin.get("/api/v1/tasks", params={"process_id": process["id"]})))[0]
    inbox = eventually(
        lambda: (r := client.get("/app/inbox")).status_code == 200 and task["id"] in r.text and r
    )
    assert 'lang="en"' in inbox.text and "My open tasks" in inbox.text
    assert f'href="/app/tasks/{task["id"]}"' in inbox.text

    page = client.get(f"/app/tasks/{task['id']}")
    assert page.status_code == 200 and "approval" in page.text and 'value="approve"' in page.text
    csrf = csrf_of(page.text)

    # The REST API takes the cookie: a read as it is, a change only with the session's CSRF token.
    assert client.get(f"/api/v1/tasks/{task['id']}").status_code == 200
    forged = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"})
    assert forged.status_code == 403 and "CSRF" in forged.json()["error"]["message"]
    wrong_token = {"X-CSRF-Token": "0" * 64}
    assert (
        client.post(
            f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}, headers=wrong_token
        ).status_code
        == 403
    )
    assert data(admin.get(f"/api/v1/tasks/{task['id']}"))["status"] == "open"  # nothing was decided
    bad = client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "maybe"}, headers={"X-CSRF-Token": csrf}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"]["fields"][0]["field"] == "outcome"
    done = client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"outcome": "approve"}, headers={"X-CSRF-Token": csrf}
    )
    assert done.status_code == 200, done.text
    assert eventually(lambda: data(admin.get(f"/api/v1/processes/{process['id']}"))["status"] == "completed")
    assert task["id"] not in client.get("/app/inbox").text


def test_the_inbox_filters_by_definition_and_due_date_and_sorts(
    live: Live, admin: Api, tenant: TenantFixture, approver: str
):
    first = start_for(admin, tenant, approver, f"FILTER-{uuid.uuid4().hex[:6]}")  # due in two days
    second = start_for(admin, tenant, approver, f"FILTER-{uuid.uuid4().hex[:6]}")

    def task_of(process: dict[str, Any]) -> str:
        tasks = eventually(lambda: data(admin.get("/api/v1/tasks", params={"process_id": process["id"]})))
        return str(tasks[0]["id"])

    ids = [task_of(first), task_of(second)]
    client = browser(live)
    assert sign_in(client, approver).status_code == 303

    def shown(**params: str) -> list[str]:
        page = client.get("/app/inbox", params=params)
        assert page.status_code == 200
        return [i for i in re.findall(r'href="/app/tasks/([0-9a-f-]+)"', page.text) if i in ids]

    assert shown(definition="approval", due="week") == ids  # by due date: the first is due first
    assert shown(order="newest") == ids[::-1]
    assert shown(due="today") == [] and shown(due="overdue") == []
    filtered = client.get("/app/inbox", params={"definition": "no-such-definition"})
    assert "None of your open tasks matches" in filtered.text
    assert all(i in filtered.text for i in ids)  # the live stream still compares every open task
    assert shown(due="soon", order="sideways") == ids  # unknown values filter nothing out
    assert client.get("/app/inbox", params={"definition": "x" * 129}).status_code == 422


def test_pages_refuse_strangers_speak_french_and_sign_out_ends_the_session(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, make_tenant: Any, api: Any
):
    other = make_tenant("Console elsewhere")
    theirs = api(other.api_key)
    role = data(
        theirs.post(
            "/api/v1/roles", json={"name": "approver", "permissions": ["tasks:read", "tasks:complete"]}
        ),
        201,
    )
    assert role["name"] == "approver"
    foreign = start_for(theirs, other, other.admin_email, f"FOREIGN-{uuid.uuid4().hex[:6]}")
    their_task = eventually(lambda: data(theirs.get("/api/v1/tasks", params={"process_id": foreign["id"]})))[
        0
    ]

    client = browser(live, **{"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert sign_in(client, approver).status_code == 303
    inbox = client.get("/app/inbox")
    assert 'lang="fr"' in inbox.text and "Mes tâches ouvertes" in inbox.text
    missing = client.get(f"/app/tasks/{their_task['id']}")
    assert missing.status_code == 404 and "Introuvable" in missing.text
    assert client.get("/app/tasks/not-a-uuid").status_code == 404
    english = client.get("/app/language", params={"to": "en", "back": "/app/inbox"})
    assert english.headers["location"] == "/app/inbox"
    assert "My open tasks" in client.get("/app/inbox").text
    assert (
        client.get("/app/language", params={"to": "en", "back": "https://evil.test/"}).headers["location"]
        == "/app/inbox"
    )

    csrf = csrf_of(client.get("/app/inbox").text)
    refused = client.post("/app/sign-out", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    access = client.cookies.get("keel_access")
    out = client.post("/app/sign-out", data={"csrf_token": csrf})
    assert out.status_code == 303 and out.headers["location"] == "/app/sign-in?bye=1"
    assert client.get("/app/inbox").status_code == 303
    # The access token the cookie held is dead too: its session was revoked.
    ended = httpx.get(f"{live.url}/api/v1/tasks", headers={"Authorization": f"Bearer {access}"})
    assert ended.status_code == 401


def test_an_account_with_a_second_factor_signs_in_in_two_steps(live: Live, api: Any, approver: str):
    me = api(None).login(approver, PASSWORD)
    secret = data(me.post("/api/v1/me/mfa/totp"), 201)["secret"]
    recovery = data(me.post("/api/v1/me/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()}))
    client = browser(live)
    asked = sign_in(client, approver)
    assert (
        asked.status_code == 200
        and 'name="mfa_token"' in asked.text
        and 'autocomplete="one-time-code"' in asked.text
    )
    assert "keel_access" not in asked.headers.get("set-cookie", "")  # no session before the code
    mfa_token = re.search(r'name="mfa_token" value="([^"]+)"', asked.text)
    form = re.search(r'name="csrf_token" value="([^"]+)"', asked.text)
    assert mfa_token is not None and form is not None
    step = {"mfa_token": mfa_token[1], "csrf_token": form[1]}
    wrong = client.post("/app/sign-in/code", data=step | {"code": "000000"})
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    forged = client.post("/app/sign-in/code", data=step | {"csrf_token": "forged", "code": "000000"})
    assert forged.status_code == 403
    signed = client.post("/app/sign-in/code", data=step | {"code": recovery["recovery_codes"][0]})
    assert signed.status_code == 303 and signed.headers["location"] == "/app/inbox"
    assert client.get("/app/inbox").status_code == 200


def events(response: httpx.Response, until: Any, seconds: float = 30) -> list[dict[str, Any]]:
    """The `tasks` events of an SSE response, read until ``until(events)`` or ``seconds`` pass."""
    seen: list[dict[str, Any]] = []
    ends = time.monotonic() + seconds
    kind = None
    for line in response.iter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: ") and kind == "tasks":
            seen.append(json.loads(line[6:]))
            if until(seen):
                break
        if time.monotonic() > ends:
            break
    return seen


def test_the_task_stream_tells_when_my_open_tasks_change(
    live: Live, admin: Api, api: Any, tenant: TenantFixture, approver: str
):
    me = api(None).login(approver, PASSWORD)
    with me.http.stream("GET", "/api/v1/tasks/stream", params={"once": "true"}) as once:
        assert once.status_code == 200 and once.headers["content-type"].startswith("text/event-stream")
        [first] = events(once, lambda seen: True)
    assert first == {"open": []}
    # A long interval: the task's write wakes the stream, which does not wait for its next check.
    with me.http.stream("GET", "/api/v1/tasks/stream", params={"interval": 60}, timeout=90) as live_feed:
        process = start_for(admin, tenant, approver, f"STREAM-{uuid.uuid4().hex[:6]}")
        started = time.monotonic()
        seen = events(live_feed, lambda seen: bool(seen[-1]["open"]))
        assert time.monotonic() - started < 30
    [task] = seen[-1]["open"]
    assert task["title"].startswith("Approve") and task["due_at"] is not None
    assert data(admin.get(f"/api/v1/tasks/{task['id']}"))["process_id"] == process["id"]
    bad = me.get("/api/v1/tasks/stream", params={"interval": 0})
    assert bad.status_code == 422
    assert api(None).get("/api/v1/tasks/stream").status_code == 401


def test_processes_are_listed_filtered_shown_and_cancelled(
    live: Live, admin: Api, tenant: TenantFixture, approver: str
):
    key = f"LIST-{uuid.uuid4().hex[:6]}"
    process = start_for(admin, tenant, approver, key)
    member = browser(live)
    assert sign_in(member, approver).status_code == 303
    refused = member.get("/app/processes")
    assert refused.status_code == 403 and "Not allowed" in refused.text  # no processes:read

    boss = browser(live)
    assert sign_in(boss, tenant.admin_email, tenant.admin_password).status_code == 303
    listed = boss.get("/app/processes", params={"key": key})
    assert listed.status_code == 200 and f'href="/app/processes/{process["id"]}"' in listed.text
    link = f'href="/app/processes/{process["id"]}"'
    assert link not in boss.get("/app/processes", params={"key": key, "status": "completed"}).text
    assert link in boss.get("/app/processes", params={"key": key, "status": "running"}).text
    assert link not in boss.get("/app/processes", params={"definition": "no-such-definition"}).text
    first = boss.get(f"/app/processes/{process['id']}")
    assert first.status_code == 200, first.text[-2000:]
    page = eventually(
        lambda: (r := boss.get(f"/app/processes/{process['id']}")) and "Approve" in r.text and r
    )
    assert 'data-status="running"' in page.text and "/namespaces/" in page.text  # its Temporal UI link
    current = re.search(r'class="depth-\d current" aria-current="step"><strong>([^<]+)</strong>', page.text)
    assert current is not None and current[1] == "decide"  # the chain's human task, where it waits
    assert 'data-step="init"' in page.text  # the steps it ran, from the workflow's own timeline
    # The drawn diagram (SVG, no inline style): the waiting task outlined, the steps run marked.
    assert '<g class="box round current" data-step="decide">' in page.text
    assert re.search(r'<g class="box \w+ ran" data-step="init">', page.text)
    assert "style=" not in page.text
    assert "flowchart TD" in page.text  # the definition's Mermaid source
    assert boss.get(f"/app/processes/{uuid.uuid4()}").status_code == 404
    csrf = csrf_of(page.text)
    assert boss.post(f"/api/v1/processes/{process['id']}/cancel").status_code == 403  # no CSRF token
    cancelled = boss.post(f"/api/v1/processes/{process['id']}/cancel", headers={"X-CSRF-Token": csrf})
    assert cancelled.status_code == 202, cancelled.text
    assert eventually(lambda: 'data-status="cancelled"' in boss.get(f"/app/processes/{process['id']}").text)


def test_the_start_page_offers_the_definitions_and_their_input_as_fields(
    live: Live, tenant: TenantFixture, approver: str
):
    member = browser(live)
    assert sign_in(member, approver).status_code == 303
    assert member.get("/app/processes/new").status_code == 403  # no processes:start
    boss = browser(live)
    assert sign_in(boss, tenant.admin_email, tenant.admin_password).status_code == 303
    choices = boss.get("/app/processes/new")
    assert choices.status_code == 200 and 'href="/app/processes/new?definition=approval"' in choices.text
    form = boss.get("/app/processes/new", params={"definition": "approval"})
    assert form.status_code == 200 and 'data-definition="approval"' in form.text
    assert 'name="input.subject"' in form.text and 'data-kind="json"' in form.text  # amount, chain: JSON
    assert boss.get("/app/processes/new", params={"definition": "no-such-thing"}).status_code == 404


def test_a_member_asked_for_a_second_factor_sets_it_up_from_the_security_page(
    live: Live, admin: Api, tenant: TenantFixture, approver: str
):
    data(admin.put("/api/v1/tenant/security", json={"mfa_required": True}))
    client = browser(live)
    assert sign_in(client, approver).status_code == 303
    sent = client.get("/app/inbox")  # every page but the security page sends them there
    assert sent.status_code == 303 and sent.headers["location"] == "/app/security?required=1"
    assert client.get("/app/processes").headers["location"] == "/app/security?required=1"
    page = client.get("/app/security", params={"required": 1})
    assert page.status_code == 200 and "asks every member for a second factor" in page.text
    assert 'data-mfa="off"' in page.text and "this browser" in page.text  # the session in use
    csrf = csrf_of(page.text)
    assert client.get("/api/v1/tasks").status_code == 403  # the REST API refuses alike until then

    assert client.post("/api/v1/me/mfa/totp").status_code == 403  # no CSRF token: refused
    enrolment = client.post("/api/v1/me/mfa/totp", headers={"X-CSRF-Token": csrf})
    assert enrolment.status_code == 201, enrolment.text
    secret = enrolment.json()["data"]["secret"]
    wrong = client.post(
        "/api/v1/me/mfa/totp/confirm", json={"code": "000000"}, headers={"X-CSRF-Token": csrf}
    )
    assert wrong.status_code in (401, 422) and 'data-mfa="off"' in client.get("/app/security").text
    confirmed = client.post(
        "/api/v1/me/mfa/totp/confirm",
        json={"code": pyotp.TOTP(secret).now()},
        headers={"X-CSRF-Token": csrf},
    )
    assert confirmed.status_code == 200 and len(confirmed.json()["data"]["recovery_codes"]) == 10
    after = eventually(lambda: (r := client.get("/app/inbox")).status_code == 200 and r)
    assert "My open tasks" in after.text
    assert 'data-mfa="on"' in client.get("/app/security").text
