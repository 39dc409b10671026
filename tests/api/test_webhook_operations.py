"""Operating webhooks through the live API: secrets encrypted at rest, per-subscription retry
schedules, PATCH (and re-enabling after a 410), secret rotation with an overlap, test deliveries,
bulk replay of dead letters, and each attempt's request and response."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from domain.webhooks import signing
from domain.webhooks.errors import SignatureInvalid
from keel import crypto
from tests.api.conftest import data, error_of
from tests.api.test_definitions import eventually
from tests.api.test_webhooks import deliveries, post_event, subscribe
from tests.workflows.test_webhooks import Receiver, serve_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver, server = serve_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def hook_of(admin, hook_id: str) -> dict[str, Any]:
    return data(admin.get(f"/api/v1/webhooks/{hook_id}"))


def test_the_signing_secret_is_encrypted_at_rest(admin, admin_engine, live, receiver):
    hook = subscribe(admin, receiver.url, ["vault.*"])
    with admin_engine.connect() as conn:  # the owner role: no RLS, the raw column
        raw = conn.execute(
            text("SELECT secret FROM webhooks WHERE id = :id"), {"id": hook["id"]}
        ).scalar_one()
    assert raw != hook["secret"] and hook["secret"] not in raw
    assert hook["secret"].removeprefix("whsec_") not in raw
    assert raw.startswith(crypto.TOKEN_PREFIX)
    assert crypto.box(live.settings).open(raw) == hook["secret"]
    # Deliveries are still signed with the secret itself.
    post_event(admin, "vault.opened")
    (request,) = receiver.wait_for(1, timeout=10)
    signing.verify(hook["secret"], request.headers, request.body)


def test_a_replayable_response_keeps_the_secret_encrypted(admin, admin_engine, tenant, receiver):
    body = {"url": receiver.url, "events": ["a.b"]}
    first = data(admin.post("/api/v1/webhooks", json=body, headers={"Idempotency-Key": "sealed-1"}), 201)
    with admin_engine.connect() as conn:
        stored = conn.execute(
            text(
                "SELECT response_body::text FROM idempotency_records WHERE tenant_id = :t AND key = 'sealed-1'"
            ),
            {"t": tenant.id},
        ).scalar_one()
    assert first["secret"] not in stored and first["secret"].removeprefix("whsec_") not in stored
    again = data(admin.post("/api/v1/webhooks", json=body, headers={"Idempotency-Key": "sealed-1"}), 201)
    assert again == first  # the replay is the first response, secret included


def test_secret_boxes_rotate_keys():
    old, new = crypto.new_key(), crypto.new_key()
    sealed = crypto.SecretBox((old,)).seal("whsec_abc")
    both = crypto.SecretBox((new, old))
    assert both.open(sealed) == "whsec_abc"
    resealed = both.reseal(sealed)
    assert crypto.SecretBox((new,)).open(resealed) == "whsec_abc"
    with pytest.raises(ValueError, match="does not decrypt"):
        crypto.SecretBox((new,)).open(sealed)
    with pytest.raises(ValueError, match="invalid key"):
        crypto.SecretBox(("not-a-key",))


def test_production_refuses_to_run_without_a_key(live):
    production = live.settings.model_copy(update={"environment": "production", "secrets_keys": None})
    with pytest.raises(crypto.SecretsKeyMissing):
        crypto.box(production)
    public = production.model_copy(
        update={"secrets_keys": SecretStr(f"{crypto.new_key()},{crypto.DEVELOPMENT_KEY}")}
    )
    with pytest.raises(crypto.SecretsKeyMissing, match="public"):
        crypto.box(public)
    configured = production.model_copy(update={"secrets_keys": SecretStr(crypto.new_key())})
    assert crypto.box(configured).open(crypto.box(configured).seal("s")) == "s"


def test_a_subscription_has_its_own_retry_schedule(admin, receiver):
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["job.*"], retry_schedule=["0s", "PT1S"])
    assert hook["retry_schedule"] == ["PT0S", "PT1S"]
    post_event(admin, "job.failed")
    (dead,) = eventually(lambda: deliveries(admin, hook["id"], status="failed"), timeout=20)
    assert dead["attempts"] == 2 and len(receiver.requests) == 2  # not the deployment's three
    default = subscribe(admin, receiver.url, ["other.*"])
    assert default["retry_schedule"] is None


@pytest.mark.parametrize(
    ("schedule", "field", "says"),
    [
        ([], "retry_schedule", "at least one"),
        (["1s"] * 21, "retry_schedule", "at most 20"),
        (["0s", "-5s"], "retry_schedule.1", "delay"),
        (["0s", "soon"], "retry_schedule.1", "delay"),
        (["0s", "1s,2s"], "retry_schedule.1", "delay"),
        (["0s", "P2D", "P2D"], "retry_schedule", "at most P3D"),
        ([0, -1], "retry_schedule.1", "delay"),
    ],
)
def test_bad_retry_schedules_are_refused(admin, receiver, schedule, field, says):
    body = {"url": receiver.url, "events": ["*"], "retry_schedule": schedule}
    err = error_of(admin.post("/api/v1/webhooks", json=body), 422, "validation_failed")
    problems = {f["field"]: f["message"] for f in err["details"]["fields"]}
    assert any(k.startswith(field) and says in v for k, v in problems.items()), problems
    assert data(admin.get("/api/v1/webhooks")) == []


def test_patch_changes_what_is_given_and_checks_it(admin, api, make_tenant, receiver):
    hook = subscribe(admin, receiver.url, ["a.*"], description="first")
    path = f"/api/v1/webhooks/{hook['id']}"
    changed = data(admin.patch(path, json={"events": ["b.*", "c.done"], "retry_schedule": ["0s", "5s"]}))
    assert changed["events"] == ["b.*", "c.done"] and changed["retry_schedule"] == ["PT0S", "PT5S"]
    assert changed["description"] == "first" and changed["url"] == receiver.url
    before = hook_of(admin, hook["id"])
    for body, field in [
        ({"url": "http://169.254.169.254/latest"}, "url"),
        ({"url": "http://10.0.0.1/x"}, "url"),
        ({"url": "https://[::1]/x"}, "url"),
        ({"url": None}, "url"),
        ({"events": ["Bad"]}, "events.0"),
        ({"events": []}, "events"),
        ({"retry_schedule": ["P4D"]}, "retry_schedule"),
        ({"colour": "blue"}, "colour"),
        ({"url": receiver.url, "events": ["ok.*"], "retry_schedule": ["nope"]}, "retry_schedule.0"),
    ]:
        err = error_of(admin.patch(path, json=body), 422, "validation_failed")
        assert field in {f["field"] for f in err["details"]["fields"]}, (body, err)
        assert hook_of(admin, hook["id"]) == before  # nothing changed
    back = data(admin.patch(path, json={"retry_schedule": None, "description": None}))
    assert back["retry_schedule"] is None and back["description"] is None
    other = api(make_tenant("Other").api_key)
    error_of(other.patch(path, json={"events": ["*"]}), 404, "not_found")
    error_of(admin.patch(f"/api/v1/webhooks/{uuid.uuid4()}", json={"events": ["*"]}), 404, "not_found")
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "webhook", "entity_id": hook["id"]}))
    assert [a["action"] for a in audit][:2] == ["webhook.updated", "webhook.updated"]


def test_a_subscription_a_410_disabled_can_be_re_enabled(admin, receiver):
    receiver.then = 410
    hook = subscribe(admin, receiver.url, ["door.*"])
    post_event(admin, "door.opened")
    eventually(lambda: deliveries(admin, hook["id"], status="disabled"), timeout=10)
    assert hook_of(admin, hook["id"])["active"] is False
    receiver.then = 200
    enabled = data(admin.patch(f"/api/v1/webhooks/{hook['id']}", json={"enabled": True}))
    assert enabled["active"] is True and enabled["disabled_reason"] is None
    post_event(admin, "door.closed")
    requests = receiver.wait_for(2, timeout=10)
    assert requests[-1].json["type"] == "door.closed"
    # Its earlier dead letter can be replayed now.
    replayed = data(admin.post(f"/api/v1/webhooks/{hook['id']}/replay", json={"status": "disabled"}), 202)
    assert replayed["replayed"] == 1
    eventually(lambda: len(deliveries(admin, hook["id"], status="succeeded")) == 2, timeout=10)


def test_rotation_signs_with_both_secrets_during_the_overlap(admin, receiver):
    hook = subscribe(admin, receiver.url, ["rot.*"])
    old = hook["secret"]
    rotated = data(admin.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", json={"overlap": "PT1H"}))
    new = rotated["secret"]
    assert new != old and new.startswith("whsec_") and rotated["previous_secret_expires_at"]
    assert "secret" not in hook_of(admin, hook["id"])
    post_event(admin, "rot.one")
    (first,) = receiver.wait_for(1, timeout=10)
    entries = first.headers["webhook-signature"].split(" ")
    assert len(entries) == 2 and all(e.startswith("v1,") for e in entries)
    signing.verify(new, first.headers, first.body)
    signing.verify(old, first.headers, first.body)

    # No overlap: only the newest secret signs.
    latest = data(admin.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", json={"overlap": "PT0S"}))
    assert latest["previous_secret_expires_at"] is None
    post_event(admin, "rot.two")
    second = receiver.wait_for(2, timeout=10)[-1]
    assert len(second.headers["webhook-signature"].split(" ")) == 1
    signing.verify(latest["secret"], second.headers, second.body)
    with pytest.raises(SignatureInvalid):
        signing.verify(new, second.headers, second.body)
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "webhook", "entity_id": hook["id"]}))
    assert "webhook.secret_rotated" in [a["action"] for a in audit]
    assert all(s not in str(audit) for s in (old, new, latest["secret"]))


@pytest.mark.parametrize("overlap", ["P8D", "soon", "-PT1H", "P1M"])
def test_a_bad_overlap_is_refused_and_the_secret_kept(admin, receiver, overlap):
    hook = subscribe(admin, receiver.url, ["rot.*"])
    r = admin.post(f"/api/v1/webhooks/{hook['id']}/rotate-secret", json={"overlap": overlap})
    err = error_of(r, 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "overlap"
    post_event(admin, "rot.kept")
    (request,) = receiver.wait_for(1, timeout=10)
    signing.verify(hook["secret"], request.headers, request.body)
    assert len(request.headers["webhook-signature"].split(" ")) == 1


def test_a_test_delivery_goes_now_to_that_subscription_only(admin, receiver):
    hook = subscribe(admin, receiver.url, ["*"])
    bystander, server = serve_receiver()
    try:
        subscribe(admin, bystander.url, ["*"])
        out = data(admin.post(f"/api/v1/webhooks/{hook['id']}/test"))
        assert out["delivery"]["status"] == "succeeded" and out["delivery"]["event_type"] == "webhook.test"
        assert out["attempt"]["response_status"] == 200 and out["attempt"]["latency_ms"] >= 0
        (request,) = receiver.requests
        signing.verify(hook["secret"], request.headers, request.body)
        assert request.json["type"] == "webhook.test" and request.json["data"]["webhook_id"] == hook["id"]
        time.sleep(0.5)
        assert bystander.requests == []
    finally:
        server.shutdown()
        server.server_close()
    receiver.then = 500
    failed = data(admin.post(f"/api/v1/webhooks/{hook['id']}/test"))
    assert failed["delivery"]["status"] == "failed" and failed["attempt"]["response_status"] == 500
    error_of(admin.post(f"/api/v1/webhooks/{uuid.uuid4()}/test"), 404, "not_found")


def test_dead_letters_are_replayed_in_bulk_with_a_filter(admin, receiver):
    receiver.then = 500
    hook = subscribe(admin, receiver.url, ["*"], retry_schedule=["0s"])
    for name in ("inv.paid", "inv.sent", "ord.placed"):
        post_event(admin, name)
    eventually(lambda: len(deliveries(admin, hook["id"], status="failed")) == 3, timeout=20)
    path = f"/api/v1/webhooks/{hook['id']}/replay"
    for body, field in [
        ({"event_type": "Inv*"}, "event_type"),
        ({"status": "succeeded"}, "status"),
        ({"since": "2026-01-01T00:00:00"}, "since"),
        ({"limit": 0}, "limit"),
        ({"everything": True}, "everything"),
    ]:
        err = error_of(admin.post(path, json=body), 422, "validation_failed")
        assert field in {f["field"] for f in err["details"]["fields"]}, (body, err)
    assert len(deliveries(admin, hook["id"], status="failed")) == 3  # nothing changed

    receiver.then = 200
    some = data(admin.post(path, json={"event_type": "inv.*"}), 202)
    assert some["replayed"] == 2
    eventually(lambda: len(deliveries(admin, hook["id"], status="succeeded")) == 2, timeout=10)
    rest = data(admin.post(path), 202)  # no body: every failed one
    assert rest["replayed"] == 1
    eventually(lambda: len(deliveries(admin, hook["id"], status="succeeded")) == 3, timeout=10)
    assert data(admin.post(path, json={}), 202)["replayed"] == 0


def test_each_attempt_is_recorded_with_request_and_response(admin, api, make_tenant, receiver):
    receiver.script = [503]
    hook = subscribe(admin, receiver.url, ["rec.*"], retry_schedule=["0s", "1s"])
    post_event(admin, "rec.made", None, n=1)
    (done,) = eventually(lambda: deliveries(admin, hook["id"], status="succeeded"), timeout=15)
    attempts = data(admin.get(f"/api/v1/webhooks/deliveries/{done['id']}/attempts"))
    assert [a["number"] for a in attempts] == [1, 2]
    assert [a["response_status"] for a in attempts] == [503, 200]
    assert [a["response_body"] for a in attempts] == ["no", "ok"]
    first = attempts[0]
    assert first["request_url"] == receiver.url and first["latency_ms"] >= 0
    assert first["request_headers"]["webhook-id"] == signing.message_id(uuid.UUID(done["id"]))
    assert first["request_headers"]["webhook-signature"].startswith("v1,")
    assert '"type":"rec.made"' in first["request_body"]
    assert first["response_headers"]["content-length"] == "2" and first["error"].startswith("HTTP 503")
    other = api(make_tenant("Other").api_key)
    error_of(other.get(f"/api/v1/webhooks/deliveries/{done['id']}/attempts"), 404, "not_found")
    error_of(admin.get(f"/api/v1/webhooks/deliveries/{uuid.uuid4()}/attempts"), 404, "not_found")
