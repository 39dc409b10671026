"""The SendGrid sender, through the official SDK, against a local peer of the v3 mail send API."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from adapters.email import SendGridSender
from adapters.messaging import Attachment, OutgoingMessage, PermanentFailure, TransientFailure
from adapters.registry import sender_for
from keel.settings import Settings
from tests.peers import SendGridPeer, sendgrid_error

KEY = "SG.test-key.abcdef"


@pytest.fixture(scope="module")
def peer():
    with SendGridPeer(KEY) as p:
        yield p


def settings_for(peer: SendGridPeer, **extra) -> Settings:
    base: dict[str, Any] = {
        "email_adapter": "sendgrid",
        "sendgrid_api_key": KEY,
        "sendgrid_api_host": peer.url,
        "email_from": "Acme <hello@acme.test>",
    }
    return Settings(**(base | extra))


def email(**extra) -> OutgoingMessage:
    base: dict[str, Any] = {
        "tenant_id": uuid.uuid4(),
        "message_id": uuid.uuid4(),
        "channel": "email",
        "to": "ada@example.com",
        "subject": "Your invoice",
        "text": "Hello Ada",
        "html": "<p>Hello Ada</p>",
    }
    return OutgoingMessage(**(base | extra))


def test_attachments_go_base64_with_their_name_and_type(peer):
    csv = b"definition,duration\r\napproval,42\r\n"
    pdf = b"%PDF-1.7\n\x00\xff binary"
    message = email(
        attachments=(Attachment("week.csv", "text/csv", csv), Attachment("a.pdf", "application/pdf", pdf))
    )
    SendGridSender(settings_for(peer)).send(message)
    body = peer.requests[-1].json()
    assert body["attachments"] == [
        {
            "content": base64.b64encode(csv).decode(),
            "filename": "week.csv",
            "type": "text/csv",
            "disposition": "attachment",
        },
        {
            "content": base64.b64encode(pdf).decode(),
            "filename": "a.pdf",
            "type": "application/pdf",
            "disposition": "attachment",
        },
    ]
    assert peer.sent[-1] == body  # the peer found nothing wrong with them
    broken = SendGridPeer.problems({**body, "attachments": [{"filename": "x.csv"}]})
    assert ("attachments.0.content", "The attachment content is required.") in broken  # the peer checks


def test_send_posts_the_v3_payload_with_the_key_and_returns_the_message_id(peer):
    message = email(data={"category": "billing"})
    result = SendGridSender(settings_for(peer)).send(message)
    request = peer.requests[-1]
    assert request.headers["authorization"] == f"Bearer {KEY}"
    body = request.json()
    assert body["personalizations"] == [{"to": [{"email": "ada@example.com"}]}]
    assert body["from"] == {"email": "hello@acme.test", "name": "Acme"}
    assert body["subject"] == "Your invoice"
    assert body["content"] == [
        {"type": "text/plain", "value": "Hello Ada"},
        {"type": "text/html", "value": "<p>Hello Ada</p>"},
    ]
    assert body["custom_args"] == {
        "keel_tenant": str(message.tenant_id),
        "keel_message": str(message.message_id),
    }
    assert sorted(body["categories"]) == ["billing", "keel"]
    assert result.provider == "sendgrid" and result.status == "sent"
    assert result.provider_message_id and len(result.provider_message_id) == 22


def test_html_only_email_has_only_the_html_part(peer):
    SendGridSender(settings_for(peer)).send(email(text=""))
    assert peer.requests[-1].json()["content"] == [{"type": "text/html", "value": "<p>Hello Ada</p>"}]


def test_refusals_are_permanent_and_carry_sendgrids_message(peer):
    sender = SendGridSender(settings_for(peer))
    with pytest.raises(PermanentFailure, match=r"400: Does not contain a valid address"):
        sender.send(email(to="ada@localhost"))  # the SDK passes it on; SendGrid refuses it
    before = len(peer.requests)
    for bad in ("not-an-address", "ada@example.com, eve@example.com", "ada@example.com\r\nBcc: eve@x.io"):
        with pytest.raises(PermanentFailure, match="is not an email address"):
            sender.send(email(to=bad))
    assert len(peer.requests) == before  # refused before any request
    wrong_key = SendGridSender(settings_for(peer, sendgrid_api_key="SG.wrong"))
    with pytest.raises(PermanentFailure, match="401: The provided authorization grant") as info:
        wrong_key.send(email())
    assert "SG.wrong" not in str(info.value)
    peer.answer_next(403, sendgrid_error("access forbidden"))
    with pytest.raises(PermanentFailure, match="403: access forbidden"):
        sender.send(email())
    peer.answer_next(413, sendgrid_error("The JSON payload you have included in your request is too large."))
    with pytest.raises(PermanentFailure, match="413"):
        sender.send(email())
    with pytest.raises(PermanentFailure, match="text or an HTML body"):
        sender.send(email(text="", html=""))


def test_throttling_and_server_errors_are_transient(peer):
    sender = SendGridSender(settings_for(peer))
    peer.answer_next(429, sendgrid_error("too many requests"))
    with pytest.raises(TransientFailure, match="429: too many requests"):
        sender.send(email())
    peer.answer_next(500, sendgrid_error("internal error"))
    with pytest.raises(TransientFailure, match="500"):
        sender.send(email())
    peer.answer_next(503)  # no body at all
    with pytest.raises(TransientFailure, match="503"):
        sender.send(email())


def test_unreachable_sendgrid_is_transient():
    with SendGridPeer(KEY) as gone:
        settings = settings_for(gone)
    with pytest.raises(TransientFailure, match="unreachable"):
        SendGridSender(settings).send(email())


def test_registry_picks_sendgrid_and_names_a_missing_key(peer, engine):
    settings = settings_for(peer)
    sender = sender_for("email", settings, engine)
    assert isinstance(sender, SendGridSender) and sender_for("email", settings, engine) is sender
    with pytest.raises(PermanentFailure, match="KEEL_SENDGRID_API_KEY") as info:
        sender_for("email", Settings(email_adapter="sendgrid"), engine)
    assert "SG." not in str(info.value)
