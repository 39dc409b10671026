"""Provider callbacks: SendGrid's signed event webhook and Twilio's status callback move a message's
status forward, once per event, and a hard bounce suppresses the address for the tenant."""

from __future__ import annotations

import json
import time
import uuid
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from db.models import Delivery, DeliveryMessage
from db.session import tenant_session
from domain.context import TenantContext
from domain.notifications import tracking
from tests.api.conftest import data, error_of
from tests.peers import SendGridSigner, twilio_signature

TOKEN = "twilio-callback-token"
SENDGRID = "/api/v1/providers/sendgrid/events"
TWILIO = "/api/v1/providers/twilio/status"


@pytest.fixture(scope="module")
def signer() -> SendGridSigner:
    return SendGridSigner.generate()


@pytest.fixture
def configured(live, monkeypatch, signer):
    """The live API verifying with the test's SendGrid key and Twilio token (restored afterwards)."""
    monkeypatch.setattr(live.settings, "sendgrid_webhook_public_key", signer.public_key)
    monkeypatch.setattr(live.settings, "twilio_auth_token", SecretStr(TOKEN))
    return live


def make_delivery(engine, tenant_id, addresses, strategy="all", sid=None, statuses=None):
    """A delivery with one sent message per channel; returns (delivery id, {channel: message id})."""
    with tenant_session(engine, tenant_id) as session:
        delivery = Delivery(
            tenant_id=tenant_id,
            recipient={"email": addresses.get("email"), "phone": addresses.get("sms")},
            template="welcome",
            channels=list(addresses),
            strategy=strategy,
            status="sending",
        )
        session.add(delivery)
        session.flush()
        ids = {}
        for channel, address in addresses.items():
            message = DeliveryMessage(
                tenant_id=tenant_id,
                delivery_id=delivery.id,
                channel=channel,
                address=address,
                status=(statuses or {}).get(channel, "sent"),
                provider="twilio" if channel == "sms" else "sendgrid",
                provider_message_id=sid if channel == "sms" else "xmsgid" + uuid.uuid4().hex[:8],
                attempts=[],
            )
            session.add(message)
            session.flush()
            ids[channel] = message.id
        return delivery.id, ids


def load(engine, tenant_id, model, ident):
    with tenant_session(engine, tenant_id) as session:
        return session.get(model, ident)


def suppressed(engine, tenant_id, channel, address):
    with tenant_session(engine, tenant_id) as session:
        return tracking.is_suppressed(session, TenantContext.system(tenant_id), channel, address)


def sg_event(tenant_id, message_id, kind, **extra):
    return {
        "email": "ada@example.com",
        "timestamp": int(time.time()),
        "event": kind,
        "sg_event_id": uuid.uuid4().hex,
        "sg_message_id": "xmsgid.filterdrecv-1.2.3.0",
        "keel_tenant": str(tenant_id),
        "keel_message": str(message_id),
        **extra,
    }


def post_sendgrid(client, signer, events, timestamp=None):
    body = json.dumps(events).encode()
    return client.post(SENDGRID, content=body, headers=signer.headers(body, timestamp))


# -- SendGrid -----------------------------------------------------------------------------------
def test_sendgrid_events_move_the_status_forward_and_finish_the_delivery(
    configured, anonymous, admin, tenant, engine, signer
):
    delivery_id, ids = make_delivery(engine, tenant.id, {"email": "Ada@Example.com"})
    email = ids["email"]
    events = [sg_event(tenant.id, email, k) for k in ("processed", "delivered", "open")]
    assert data(post_sendgrid(anonymous, signer, events)) == {"applied": 3, "duplicates": 0, "ignored": 0}
    message = load(engine, tenant.id, DeliveryMessage, email)
    assert message.status == "opened" and message.delivered_at and message.opened_at
    assert load(engine, tenant.id, Delivery, delivery_id).status == "delivered"
    (event,) = data(admin.get("/api/v1/events", params={"type": "notification.*"}))
    assert event["type"] == "notification.delivered"
    assert event["payload"] == {
        "delivery_id": str(delivery_id),
        "channel": "email",
        "status": "delivered",
        "recipient": "A***@Example.com",
    }
    # A late "delivered" never moves an opened message back.
    data(post_sendgrid(anonymous, signer, [sg_event(tenant.id, email, "delivered")]))
    assert load(engine, tenant.id, DeliveryMessage, email).status == "opened"


def test_the_delivery_finishes_when_every_channel_that_was_sent_arrives(
    configured, anonymous, tenant, engine, signer
):
    sid = "SM" + uuid.uuid4().hex
    both = {"email": "ada@example.com", "sms": "+447700900123"}
    delivery_id, ids = make_delivery(engine, tenant.id, both, sid=sid)
    data(post_sendgrid(anonymous, signer, [sg_event(tenant.id, ids["email"], "delivered")]))
    assert load(engine, tenant.id, Delivery, delivery_id).status == "sending"  # the SMS is still out
    skipped = make_delivery(
        engine, tenant.id, both, sid=sid + "x", statuses={"sms": "suppressed-by-preference"}
    )
    data(post_sendgrid(anonymous, signer, [sg_event(tenant.id, skipped[1]["email"], "delivered")]))
    assert load(engine, tenant.id, Delivery, skipped[0]).status == "delivered"
    # Fallback: the email bounced, the SMS sent instead arrived.
    fallback = make_delivery(
        engine, tenant.id, both, strategy="fallback", sid=sid + "y", statuses={"email": "bounced"}
    )
    data(post_twilio(anonymous, configured, tenant.id, fallback[1]["sms"], status(sid + "y", "delivered")))
    assert load(engine, tenant.id, Delivery, fallback[0]).status == "delivered"


def test_the_same_event_applies_once(configured, anonymous, admin, tenant, engine, signer):
    _, ids = make_delivery(engine, tenant.id, {"email": "ada@example.com"})
    delivered = sg_event(tenant.id, ids["email"], "delivered")
    assert data(post_sendgrid(anonymous, signer, [delivered, delivered])) == {
        "applied": 1,
        "duplicates": 1,
        "ignored": 0,
    }
    assert data(post_sendgrid(anonymous, signer, [delivered])) == {
        "applied": 0,
        "duplicates": 1,
        "ignored": 0,
    }
    assert len(data(admin.get("/api/v1/events", params={"type": "notification.*"}))) == 1


def test_a_hard_bounce_suppresses_the_address_for_that_tenant_only(
    configured, anonymous, api, make_tenant, engine, signer
):
    mine, other = make_tenant(), make_tenant()
    delivery_id, ids = make_delivery(engine, mine.id, {"email": "gone@example.com"})
    _, theirs = make_delivery(engine, other.id, {"email": "gone@example.com"})
    bounce = sg_event(mine.id, ids["email"], "bounce", type="bounce", reason="550 5.1.1 unknown user")
    assert data(post_sendgrid(anonymous, signer, [bounce]))["applied"] == 1
    message = load(engine, mine.id, DeliveryMessage, ids["email"])
    assert message.status == "bounced" and "550 5.1.1 unknown user" in message.status_reason
    assert suppressed(engine, mine.id, "email", "GONE@example.com")
    assert not suppressed(engine, other.id, "email", "gone@example.com")
    assert load(engine, other.id, DeliveryMessage, theirs["email"]).status == "sent"
    assert load(engine, mine.id, Delivery, delivery_id).status == "failed"
    (event,) = data(api(mine.api_key).get("/api/v1/events", params={"type": "notification.*"}))
    assert event["type"] == "notification.failed" and event["payload"]["recipient"] == "g***@example.com"
    # Bounced is terminal: a later "delivered" changes nothing.
    data(post_sendgrid(anonymous, signer, [sg_event(mine.id, ids["email"], "delivered")]))
    assert load(engine, mine.id, DeliveryMessage, ids["email"]).status == "bounced"


def test_soft_bounces_fail_without_suppressing_and_spam_reports_suppress(
    configured, anonymous, tenant, engine, signer
):
    _, blocked = make_delivery(engine, tenant.id, {"email": "blocked@example.com"})
    _, spam = make_delivery(engine, tenant.id, {"email": "angry@example.com"})
    events = [
        sg_event(tenant.id, blocked["email"], "bounce", type="blocked", reason="mailbox full"),
        sg_event(tenant.id, spam["email"], "delivered"),
        sg_event(tenant.id, spam["email"], "spamreport"),
    ]
    assert data(post_sendgrid(anonymous, signer, events))["applied"] == 3
    assert load(engine, tenant.id, DeliveryMessage, blocked["email"]).status == "failed"
    assert not suppressed(engine, tenant.id, "email", "blocked@example.com")
    assert load(engine, tenant.id, DeliveryMessage, spam["email"]).status == "delivered"
    assert suppressed(engine, tenant.id, "email", "angry@example.com")


def test_events_for_unknown_or_other_tenants_messages_are_ignored(
    configured, anonymous, make_tenant, engine, signer
):
    mine, other = make_tenant(), make_tenant()
    _, theirs = make_delivery(engine, other.id, {"email": "bob@example.com"})
    events = [
        sg_event(mine.id, theirs["email"], "bounce", type="bounce"),  # their message, claimed by my tenant
        sg_event(uuid.uuid4(), uuid.uuid4(), "delivered"),  # no such tenant
        sg_event("not-a-uuid", uuid.uuid4(), "delivered"),
        {"event": "delivered", "sg_event_id": "x"},  # no custom args (not sent by Keel)
        sg_event(other.id, theirs["email"], "click"),  # a kind Keel does not track
        "not an event",
    ]
    assert data(post_sendgrid(anonymous, signer, events)) == {"applied": 0, "duplicates": 0, "ignored": 6}
    assert load(engine, other.id, DeliveryMessage, theirs["email"]).status == "sent"
    assert not suppressed(engine, mine.id, "email", "bob@example.com")
    assert not suppressed(engine, other.id, "email", "bob@example.com")


def test_sendgrid_signatures_are_required_fresh_and_exact(configured, anonymous, tenant, engine, signer):
    _, ids = make_delivery(engine, tenant.id, {"email": "ada@example.com"})
    body = json.dumps([sg_event(tenant.id, ids["email"], "bounce", type="bounce")]).encode()
    headers = signer.headers(body)
    tampered = body.replace(b'"bounce"', b'"open"', 1)
    error_of(anonymous.post(SENDGRID, content=tampered, headers=headers), 401, "unauthenticated")
    old = int(time.time()) - 600
    error_of(
        anonymous.post(SENDGRID, content=body, headers=signer.headers(body, old)), 401, "unauthenticated"
    )
    future = int(time.time()) + 600
    error_of(
        anonymous.post(SENDGRID, content=body, headers=signer.headers(body, future)), 401, "unauthenticated"
    )
    other_key = SendGridSigner.generate().headers(body)
    error_of(anonymous.post(SENDGRID, content=body, headers=other_key), 401, "unauthenticated")
    garbage = headers | {"X-Twilio-Email-Event-Webhook-Signature": "not base64!"}
    error_of(anonymous.post(SENDGRID, content=body, headers=garbage), 401, "unauthenticated")
    missing = error_of(
        anonymous.post(SENDGRID, content=body, headers={"Content-Type": "application/json"}),
        401,
        "unauthenticated",
    )
    assert "X-Twilio-Email-Event-Webhook-Signature" in missing["message"]
    assert load(engine, tenant.id, DeliveryMessage, ids["email"]).status == "sent"
    assert not suppressed(engine, tenant.id, "email", "ada@example.com")
    # The same body, correctly signed, is accepted.
    assert data(anonymous.post(SENDGRID, content=body, headers=headers))["applied"] == 1


def test_signed_bodies_that_are_not_event_arrays_are_bad_requests(configured, anonymous, signer):
    for body in (b'{"event": "delivered"}', b"[{"):
        error_of(anonymous.post(SENDGRID, content=body, headers=signer.headers(body)), 400, "bad_request")


def test_signed_events_with_odd_values_are_handled_not_a_server_error(
    configured, anonymous, tenant, engine, signer
):
    _, ids = make_delivery(engine, tenant.id, {"email": "ada@example.com"})
    odd = [
        sg_event(tenant.id, ids["email"], "delivered", timestamp=1e300),
        sg_event(tenant.id, ids["email"], "delivered", timestamp=-1e20),
        sg_event(tenant.id, ids["email"], "delivered", timestamp="yesterday"),
        sg_event(tenant.id, ids["email"], "bounce", type={"a": 1}, reason=["x"]),
        sg_event(tenant.id, ids["email"], ["delivered"]),
        sg_event(tenant.id, "not-a-uuid", "delivered", sg_message_id=7),
        sg_event("not-a-tenant", ids["email"], "delivered"),
    ]
    outcome = data(post_sendgrid(anonymous, signer, odd))
    assert outcome["applied"] + outcome["duplicates"] + outcome["ignored"] == len(odd)


def test_provider_routes_document_every_status_they_answer(anonymous):
    spec = anonymous.get("/openapi.json").json()
    for path in (SENDGRID, TWILIO):
        assert {"200", "400", "401", "422", "503"} <= set(spec["paths"][path]["post"]["responses"]), path


def test_callbacks_without_verification_configured_are_unavailable(live, anonymous, signer):
    assert live.settings.sendgrid_webhook_public_key is None and live.settings.twilio_auth_token is None
    body = b"[]"
    err = error_of(
        anonymous.post(SENDGRID, content=body, headers=signer.headers(body)), 503, "service_unavailable"
    )
    assert "KEEL_SENDGRID_WEBHOOK_PUBLIC_KEY" in err["message"]
    err = error_of(anonymous.post(TWILIO, data={"MessageSid": "SM1"}), 503, "service_unavailable")
    assert "KEEL_TWILIO_AUTH_TOKEN" in err["message"]


# -- Twilio -------------------------------------------------------------------------------------
def post_twilio(client, live, tenant_id, message_id, params, sign_url=None, signature=None):
    path = f"{TWILIO}?{urlencode({'tenant': str(tenant_id), 'message': str(message_id)})}"
    sig = signature or twilio_signature(TOKEN, sign_url or live.url + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": sig})


def status(sid, value, **extra):
    return {"MessageSid": sid, "SmsSid": sid, "MessageStatus": value, "To": "+447700900123", **extra}


def test_twilio_status_callbacks_track_the_sms(configured, anonymous, tenant, engine):
    sid = "SM" + uuid.uuid4().hex
    delivery_id, ids = make_delivery(engine, tenant.id, {"sms": "+447700900123"}, sid=sid)
    for value in ("sent", "delivered"):
        assert data(post_twilio(anonymous, configured, tenant.id, ids["sms"], status(sid, value))) == {
            "applied": 1,
            "duplicates": 0,
            "ignored": 0,
        }
    message = load(engine, tenant.id, DeliveryMessage, ids["sms"])
    assert message.status == "delivered" and message.delivered_at is not None
    assert load(engine, tenant.id, Delivery, delivery_id).status == "delivered"
    # Twilio retries a callback it thinks failed: the same signed request is a duplicate.
    replay = post_twilio(anonymous, configured, tenant.id, ids["sms"], status(sid, "delivered"))
    assert data(replay) == {"applied": 0, "duplicates": 1, "ignored": 0}


def test_undelivered_to_an_unreachable_number_suppresses_it(configured, anonymous, tenant, engine):
    sid = "SM" + uuid.uuid4().hex
    _, ids = make_delivery(engine, tenant.id, {"sms": "+447700900777"}, sid=sid)
    params = status(sid, "undelivered", ErrorCode="30003", To="+447700900777")
    assert data(post_twilio(anonymous, configured, tenant.id, ids["sms"], params))["applied"] == 1
    message = load(engine, tenant.id, DeliveryMessage, ids["sms"])
    assert message.status == "bounced" and message.status_reason == "undelivered: error 30003"
    assert suppressed(engine, tenant.id, "sms", "+447700900777")
    # A carrier hiccup (30008) fails the message without suppressing the number.
    sid2 = "SM" + uuid.uuid4().hex
    _, other = make_delivery(engine, tenant.id, {"sms": "+447700900778"}, sid=sid2)
    data(
        post_twilio(anonymous, configured, tenant.id, other["sms"], status(sid2, "failed", ErrorCode="30008"))
    )
    assert load(engine, tenant.id, DeliveryMessage, other["sms"]).status == "failed"
    assert not suppressed(engine, tenant.id, "sms", "+447700900778")


def test_twilio_signatures_must_match_url_and_params(configured, anonymous, tenant, make_tenant, engine):
    sid = "SM" + uuid.uuid4().hex
    _, ids = make_delivery(engine, tenant.id, {"sms": "+447700900123"}, sid=sid)
    good = status(sid, "delivered")
    signature = twilio_signature(
        TOKEN,
        configured.url + f"{TWILIO}?{urlencode({'tenant': str(tenant.id), 'message': str(ids['sms'])})}",
        good,
    )
    tampered = status(sid, "undelivered", ErrorCode="30003")
    error_of(
        post_twilio(anonymous, configured, tenant.id, ids["sms"], tampered, signature=signature),
        401,
        "unauthenticated",
    )
    # The signature of one tenant's callback does not carry over to another tenant in the query.
    error_of(
        post_twilio(anonymous, configured, make_tenant().id, ids["sms"], good, signature=signature),
        401,
        "unauthenticated",
    )
    wrong_token = twilio_signature("another-token", configured.url + TWILIO, good)
    error_of(
        post_twilio(anonymous, configured, tenant.id, ids["sms"], good, signature=wrong_token),
        401,
        "unauthenticated",
    )
    missing = anonymous.post(f"{TWILIO}?tenant={tenant.id}&message={ids['sms']}", data=good)
    assert "X-Twilio-Signature" in error_of(missing, 401, "unauthenticated")["message"]
    message = load(engine, tenant.id, DeliveryMessage, ids["sms"])
    assert message.status == "sent" and not suppressed(engine, tenant.id, "sms", "+447700900123")
    assert (
        data(post_twilio(anonymous, configured, tenant.id, ids["sms"], good, signature=signature))["applied"]
        == 1
    )


def test_signed_twilio_callbacks_for_unknown_messages_are_ignored(configured, anonymous, tenant):
    params = status("SM" + uuid.uuid4().hex, "delivered")
    assert data(post_twilio(anonymous, configured, tenant.id, uuid.uuid4(), params))["ignored"] == 1
    assert data(post_twilio(anonymous, configured, "junk", "junk", params))["ignored"] == 1
    assert (
        data(post_twilio(anonymous, configured, tenant.id, uuid.uuid4(), status("SM1", "receiving")))[
            "ignored"
        ]
        == 1
    )
