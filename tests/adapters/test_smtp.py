"""The SMTP sender against a real SMTP server (aiosmtpd) on a local port."""

from __future__ import annotations

import email
import email.policy
import uuid
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from adapters.email import SmtpSender
from adapters.messaging import Attachment, OutgoingMessage, PermanentFailure, TransientFailure
from keel.settings import Settings
from keel.temporal import free_port


class Mailbox:
    """Accepts mail for anyone except nobody@ (550, unknown user) and busy@ (451, try later)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 Recipient address rejected: User unknown"
        if address.startswith("busy@"):
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def only_alice(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"alice",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


@pytest.fixture(scope="module")
def smtp():
    mailbox = Mailbox()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=free_port(), authenticator=only_alice, auth_require_tls=False
    )
    controller.start()
    yield mailbox, controller.port
    controller.stop()


def settings_for(port: int, **extra) -> Settings:
    base: dict[str, Any] = {
        "email_adapter": "smtp",
        "smtp_port": port,
        "email_from": "Acme <hello@acme.test>",
    }
    return Settings(**(base | extra))


def message(**extra) -> OutgoingMessage:
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


def test_delivers_text_and_html_with_keel_headers(smtp):
    mailbox, port = smtp
    outgoing = message()
    result = SmtpSender(settings_for(port)).send(outgoing)
    sender, recipients, received = mailbox.received[-1]
    assert sender == "hello@acme.test" and recipients == ["ada@example.com"]
    assert received["Subject"] == "Your invoice" and received["To"] == "ada@example.com"
    assert received["From"] == "Acme <hello@acme.test>"
    assert received["Message-ID"] == f"<{outgoing.message_id}@acme.test>"
    assert received["X-Keel-Tenant"] == str(outgoing.tenant_id)
    assert received["X-Keel-Message"] == str(outgoing.message_id)
    assert received.get_content_type() == "multipart/alternative"
    assert received.get_body(("plain",)).get_content().strip() == "Hello Ada"
    assert received.get_body(("html",)).get_content().strip() == "<p>Hello Ada</p>"
    assert (result.provider, result.provider_message_id, result.status) == (
        "smtp",
        f"<{outgoing.message_id}@acme.test>",
        "sent",
    )


def test_attachments_arrive_as_named_parts_with_their_bytes(smtp):
    mailbox, port = smtp
    pdf = b"%PDF-1.7\n\x00\xff binary"
    files = (
        Attachment("week.csv", "text/csv", b"a,b\r\n1,2\r\n"),
        Attachment("a.pdf", "application/pdf", pdf),
    )
    SmtpSender(settings_for(port)).send(message(attachments=files))
    received = mailbox.received[-1][2]
    assert received.get_content_type() == "multipart/mixed"
    assert received.get_body(("plain",)).get_content().strip() == "Hello Ada"
    parts = {p.get_filename(): p for p in received.iter_attachments()}
    assert set(parts) == {"week.csv", "a.pdf"}
    assert parts["week.csv"].get_content_type() == "text/csv"
    assert parts["a.pdf"].get_content_type() == "application/pdf" and parts["a.pdf"].get_content() == pdf


def test_login_when_a_username_is_set(smtp):
    mailbox, port = smtp
    SmtpSender(settings_for(port, smtp_username="alice", smtp_password="s3cret")).send(
        message(subject="Signed in")
    )
    assert mailbox.received[-1][2]["Subject"] == "Signed in"
    with pytest.raises(PermanentFailure, match="535"):
        SmtpSender(settings_for(port, smtp_username="alice", smtp_password="wrong")).send(message())


def test_refused_recipient_is_permanent_and_a_busy_one_transient(smtp):
    mailbox, port = smtp
    before = len(mailbox.received)
    sender = SmtpSender(settings_for(port))
    with pytest.raises(PermanentFailure, match=r"550 5\.1\.1 Recipient address rejected"):
        sender.send(message(to="nobody@example.com"))
    with pytest.raises(TransientFailure, match="451"):
        sender.send(message(to="busy@example.com"))
    with pytest.raises(PermanentFailure, match="cannot be sent"):
        sender.send(message(subject="Hi\r\nBcc: eve@example.com"))
    assert len(mailbox.received) == before


def test_starttls_that_the_server_does_not_offer_is_permanent(smtp):
    _, port = smtp
    with pytest.raises(PermanentFailure, match="STARTTLS"):
        SmtpSender(settings_for(port, smtp_starttls=True)).send(message())


def test_unreachable_server_is_transient():
    with pytest.raises(TransientFailure, match="unreachable"):
        SmtpSender(settings_for(free_port())).send(message())
