"""The Twilio SMS sender, through the official SDK, against a local peer of the Messages API."""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.messaging import OutgoingMessage, PermanentFailure, TransientFailure
from adapters.registry import sender_for
from adapters.sms import TwilioSender
from keel.settings import Settings
from tests.peers import TwilioPeer, twilio_error

SID = "AC" + "0" * 31 + "1"
TOKEN = "twilio-test-token"
FROM = "+15005550006"


@pytest.fixture(scope="module")
def peer():
    with TwilioPeer(SID, TOKEN, unsubscribed=frozenset({"+447700900999"})) as p:
        yield p


def settings_for(peer: TwilioPeer, **extra) -> Settings:
    base: dict[str, Any] = {
        "sms_adapter": "twilio",
        "twilio_account_sid": SID,
        "twilio_auth_token": TOKEN,
        "twilio_from_number": FROM,
        "twilio_api_base": peer.url,
        "public_url": "https://keel.example.com",
    }
    return Settings(**(base | extra))


def sms(**extra) -> OutgoingMessage:
    base: dict[str, Any] = {
        "tenant_id": uuid.uuid4(),
        "message_id": uuid.uuid4(),
        "channel": "sms",
        "to": "+447700900123",
        "text": "Your code is 123456",
    }
    return OutgoingMessage(**(base | extra))


def test_send_posts_the_form_with_basic_auth_and_a_status_callback(peer):
    message = sms()
    result = TwilioSender(settings_for(peer)).send(message)
    request = peer.requests[-1]
    assert request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    form = request.form()
    assert form["To"] == "+447700900123" and form["From"] == FROM and form["Body"] == "Your code is 123456"
    callback = urlsplit(form["StatusCallback"])
    assert (callback.scheme, callback.netloc, callback.path) == (
        "https",
        "keel.example.com",
        "/api/v1/providers/twilio/status",
    )
    assert parse_qs(callback.query) == {
        "tenant": [str(message.tenant_id)],
        "message": [str(message.message_id)],
    }
    assert result.provider == "twilio" and result.status == "sent"
    assert result.provider_message_id == peer.sent[-1]["sid"]
    assert str(result.provider_message_id).startswith("SM")


def test_refusals_are_permanent_with_twilios_code(peer):
    sender = TwilioSender(settings_for(peer))
    with pytest.raises(
        PermanentFailure, match=r"400 \(error 21211\): .*Invalid 'To' Phone Number: 07700900123"
    ):
        sender.send(sms(to="07700900123"))
    with pytest.raises(PermanentFailure, match="21610"):
        sender.send(sms(to="+447700900999"))
    with pytest.raises(PermanentFailure, match="21602"):
        sender.send(sms(text=""))
    with pytest.raises(PermanentFailure, match=r"401 \(error 20003\)") as info:
        TwilioSender(settings_for(peer, twilio_auth_token="wrong-token")).send(sms())
    assert "wrong-token" not in str(info.value)


def test_throttling_and_server_errors_are_transient(peer):
    sender = TwilioSender(settings_for(peer))
    peer.answer_next(429, twilio_error(429, 20429, "Too Many Requests"))
    with pytest.raises(TransientFailure, match="20429"):
        sender.send(sms())
    peer.answer_next(500, twilio_error(500, 20500, "Internal Server Error"))
    with pytest.raises(TransientFailure, match="500"):
        sender.send(sms())
    peer.answer_next(503)  # an empty body, as a load balancer may answer
    with pytest.raises(TransientFailure, match="503"):
        sender.send(sms())


def test_unreachable_twilio_is_transient():
    with TwilioPeer(SID, TOKEN) as gone:
        settings = settings_for(gone)
    with pytest.raises(TransientFailure, match="unreachable"):
        TwilioSender(settings).send(sms())


def test_registry_picks_twilio_and_names_every_missing_setting(peer, engine):
    settings = settings_for(peer)
    sender = sender_for("sms", settings, engine)
    assert isinstance(sender, TwilioSender) and sender_for("sms", settings, engine) is sender
    with pytest.raises(PermanentFailure) as info:
        sender_for("sms", Settings(sms_adapter="twilio", twilio_auth_token="secret-token"), engine)
    message = str(info.value)
    assert "KEEL_TWILIO_ACCOUNT_SID" in message and "KEEL_TWILIO_FROM_NUMBER" in message
    assert "KEEL_TWILIO_AUTH_TOKEN" not in message and "secret-token" not in message
