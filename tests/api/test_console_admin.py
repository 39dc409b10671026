"""The console's administration pages over HTTP, against the live stack: an administrator reads users and
roles, API keys, webhooks with their deliveries and notification templates; a member without those
permissions gets the 403 page and no Admin link; another organisation's ids and ids that are not ids
answer the 404 page; bad query values answer a page; the changes the pages' scripts make go through the
REST API, which refuses them without the session's CSRF token and refuses granting beyond what the caller
holds."""

from __future__ import annotations

import html
import uuid
from typing import Any

import httpx

from tests.api.conftest import Api, Live, data, error_of
from tests.api.test_console import PASSWORD, browser, csrf_of, sign_in
from tests.api.test_processes import eventually
from tests.api.test_webhooks import deliveries, post_event, receiver, subscribe  # noqa: F401 (fixture)
from tests.conftest import TenantFixture
from tests.workflows.test_webhooks import Receiver

SECTIONS = ("/app/admin/users", "/app/admin/api-keys", "/app/admin/webhooks", "/app/admin/templates")


def signed_in_admin(live: Live, tenant: TenantFixture, **headers: str) -> httpx.Client:
    client = browser(live, **headers)
    assert sign_in(client, tenant.admin_email, tenant.admin_password).status_code == 303
    return client


def user_manager(admin: Api, tenant: TenantFixture) -> str:
    """A user (password PASSWORD) who may manage users and roles, and nothing else."""
    role = f"people{uuid.uuid4().hex[:6]}"
    wanted = ["users:read", "users:write", "roles:read", "roles:write"]
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": wanted}), 201)
    email = f"{role}@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}), 201)
    return email


def test_an_admin_reads_every_section_and_a_member_gets_the_403_page(
    live: Live, admin: Api, tenant: TenantFixture, approver: str
):
    boss = signed_in_admin(live, tenant)
    overview = boss.get("/app/admin")
    assert overview.status_code == 200, overview.text
    for path in SECTIONS:
        assert f'href="{path}"' in overview.text
    assert 'href="/app/admin" aria-current="page"' in overview.text  # the nav's Admin link

    users = boss.get("/app/admin/users")
    assert users.status_code == 200
    text = html.unescape(users.text)
    assert tenant.admin_email in text and approver in text
    approver_role = approver.split("@")[0]
    assert f'data-role="{approver_role}"' in users.text and "tasks:complete, tasks:read" in text
    assert 'data-action="user-create"' in users.text and 'data-action="role-create"' in users.text

    (key,) = data(admin.get("/api/v1/api-keys"))
    keys = boss.get("/app/admin/api-keys")
    assert keys.status_code == 200 and f'data-key="{key["prefix"]}"' in keys.text
    assert 'data-action="key-create"' in keys.text and 'data-action="key-revoke"' in keys.text
    assert tenant.api_key not in keys.text  # a key's secret is never on a page
    assert "No webhook yet" in boss.get("/app/admin/webhooks").text
    templates = boss.get("/app/admin/templates")
    assert 'href="/app/admin/templates/task-assigned"' in templates.text

    member = browser(live)
    assert sign_in(member, approver).status_code == 303
    assert 'href="/app/admin"' not in member.get("/app/inbox").text
    for path in ("/app/admin", *SECTIONS, f"/app/admin/webhooks/{uuid.uuid4()}", "/app/admin/templates/x"):
        refused = member.get(path)
        assert refused.status_code == 403, (path, refused.status_code)
        assert "Not allowed" in refused.text and "data-action" not in refused.text
    assert boss.get("/app/admin/users").status_code == 200  # the refusals changed nothing for others


def test_every_admin_page_speaks_french(live: Live, tenant: TenantFixture):
    boss = signed_in_admin(live, tenant, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    expected = {
        "/app/admin": "Utilisateurs et rôles",
        "/app/admin/users": "Ajouter un utilisateur",
        "/app/admin/api-keys": "Créer une clé d'API",
        "/app/admin/webhooks": "Aucun webhook pour l'instant",
        "/app/admin/templates": "Modèles de notification",
        "/app/admin/templates/notification": "Afficher l'aperçu",
    }
    for path, words in expected.items():
        page = boss.get(path)
        assert page.status_code == 200 and 'lang="fr"' in page.text, path
        assert words in html.unescape(page.text), path
        assert "Users and roles" not in page.text and "Preview" not in page.text, path


def test_a_forged_post_without_the_csrf_token_is_refused_and_creates_nothing(
    live: Live, admin: Api, tenant: TenantFixture
):
    boss = signed_in_admin(live, tenant)
    page = boss.get("/app/admin/users")
    email = f"forged{uuid.uuid4().hex[:6]}@{tenant.domain}"
    body = {"email": email, "password": "another-long-one", "roles": []}
    forged = boss.post("/api/v1/users", json=body)
    assert forged.status_code == 403 and "CSRF" in forged.json()["error"]["message"]
    assert boss.post("/api/v1/users", json=body, headers={"X-CSRF-Token": "0" * 64}).status_code == 403
    assert data(admin.get("/api/v1/users", params={"email": email})) == []
    assert boss.post("/api/v1/api-keys", json={"name": "forged"}).status_code == 403
    assert all(k["name"] != "forged" for k in data(admin.get("/api/v1/api-keys")))

    made = boss.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf_of(page.text)})
    assert made.status_code == 201, made.text
    assert email in boss.get("/app/admin/users", params={"done": "user_created"}).text
    assert "The user was created." in boss.get("/app/admin/users", params={"done": "user_created"}).text
    assert 'role="status"' not in boss.get("/app/admin/users", params={"done": "<script>"}).text


def test_a_user_manager_may_not_grant_what_they_lack_and_sees_only_their_sections(
    live: Live, admin: Api, tenant: TenantFixture
):
    manager = browser(live)
    assert sign_in(manager, user_manager(admin, tenant)).status_code == 303
    overview = manager.get("/app/admin")
    assert 'href="/app/admin/users"' in overview.text
    assert (
        'href="/app/admin/api-keys"' not in overview.text
        and 'href="/app/admin/webhooks"' not in overview.text
    )
    assert manager.get("/app/admin/webhooks").status_code == 403
    page = manager.get("/app/admin/users")
    token = {"X-CSRF-Token": csrf_of(page.text)}
    refused = manager.post(
        "/api/v1/roles", json={"name": "payer", "permissions": ["billing:read"]}, headers=token
    )
    err = error_of(refused, 403, "forbidden")
    assert err["details"]["missing"] == ["billing:read"]
    assert 'data-role="payer"' not in manager.get("/app/admin/users").text
    # The form names the field where the page shows that refusal.
    assert 'data-missing="permissions"' in page.text and 'data-error="permissions"' in page.text


def test_a_webhooks_failed_delivery_is_shown_and_retried(
    live: Live,
    admin: Api,
    tenant: TenantFixture,
    receiver: Receiver,  # noqa: F811 (the fixture)
    make_tenant: Any,
    api: Any,
):
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["order.*"], description="warehouse")
    post_event(admin, "order.shipped", None, order=7)
    (dead,) = eventually(lambda: deliveries(admin, hook["id"], status="failed"), timeout=20)

    boss = signed_in_admin(live, tenant)
    listing = boss.get("/app/admin/webhooks")
    assert f'href="/app/admin/webhooks/{hook["id"]}"' in listing.text and "warehouse" in listing.text
    assert hook["secret"] not in listing.text
    page = boss.get(f"/app/admin/webhooks/{hook['id']}")
    assert page.status_code == 200
    assert f'data-delivery="{dead["id"]}"' in page.text and "HTTP 500" in page.text
    assert 'data-status="failed"' in page.text and 'data-action="retry"' in page.text
    assert (
        boss.get(f"/app/admin/webhooks/{hook['id']}", params={"status": "succeeded"}).text.count(
            'data-action="retry"'
        )
        == 0
    )

    receiver.then = 200
    retried = boss.post(
        f"/api/v1/webhooks/deliveries/{dead['id']}/retry", headers={"X-CSRF-Token": csrf_of(page.text)}
    )
    assert retried.status_code == 202, retried.text
    eventually(lambda: deliveries(admin, hook["id"], status="succeeded"), timeout=15)
    done = boss.get(f"/app/admin/webhooks/{hook['id']}")
    assert 'data-status="succeeded"' in done.text and "HTTP 200" in done.text

    # Bad query values answer a page that says what is wrong, never a 500.
    bad = boss.get(f"/app/admin/webhooks/{hook['id']}", params={"status": "lost"})
    assert bad.status_code == 400 and "status" in bad.text
    assert boss.get("/app/admin/webhooks", params={"cursor": "garbage"}).status_code == 400
    assert boss.get("/app/admin/users", params={"cursor": "garbage"}).status_code == 400
    assert boss.get("/app/admin/templates", params={"after": "NOT A KEY"}).status_code == 400
    for path in ("/app/admin/users", "/app/admin/webhooks", f"/app/admin/webhooks/{hook['id']}"):
        long = boss.get(path, params={"cursor": "x" * 2000, "done": "y" * 2000})
        assert long.status_code == 400 and "text/html" in long.headers["content-type"], path
    assert boss.get("/app/admin/templates", params={"after": "a" * 300}).status_code == 400

    other = make_tenant("Admin elsewhere")
    theirs = subscribe(api(other.api_key), receiver.url, ["*"])
    for ident in (theirs["id"], str(uuid.uuid4()), "not-a-uuid"):
        missing = boss.get(f"/app/admin/webhooks/{ident}")
        assert missing.status_code == 404 and "Not found" in missing.text, ident


def test_templates_are_listed_shown_and_previewed_through_the_api(
    live: Live, admin: Api, tenant: TenantFixture, make_tenant: Any, api: Any
):
    boss = signed_in_admin(live, tenant, **{"Accept-Language": "fr"})
    page = boss.get("/app/admin/templates/task-assigned")
    assert page.status_code == 200 and 'lang="fr"' in page.text and "Aperçu" in page.text
    assert "New task: {{ task_title }}" in html.unescape(page.text)  # the source, escaped
    assert 'data-action="preview"' in page.text and '<option value="email">' in page.text

    body = {"channel": "email", "data": {"task_title": "<b>Budget</b>", "process": "approval"}}
    preview = boss.post(
        "/api/v1/notification-templates/task-assigned/preview",
        json=body,
        headers={"X-CSRF-Token": csrf_of(page.text)},
    )
    rendered = data(preview)
    assert rendered["fields"]["subject"] == "New task: <b>Budget</b>"
    assert "&lt;b&gt;Budget&lt;/b&gt;" in rendered["fields"]["html"]  # the engine escapes HTML fields

    other = make_tenant("Templates elsewhere")
    source = {"sms": {"en": {"text": "Hello {{ name }}"}}}
    data(
        api(other.api_key).post("/api/v1/notification-templates", json={"key": "theirs", "channels": source}),
        201,
    )
    for key in ("theirs", "no-such-template", "NOT A KEY", "x" * 120):
        missing = boss.get(f"/app/admin/templates/{key}")
        assert missing.status_code == 404 and "Introuvable" in missing.text, key
