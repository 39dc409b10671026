"""Email senders: SendGrid (v3 mail send through the official SDK) and plain SMTP."""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
import urllib.error
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import Attachment as SendGridAttachment
from sendgrid.helpers.mail import (
    Category,
    CustomArg,
    Disposition,
    FileContent,
    FileName,
    FileType,
    Mail,
    To,
)

from adapters.messaging import OutgoingMessage, PermanentFailure, SendResult, TransientFailure
from keel.settings import Settings

SENDGRID_HOST = "https://api.sendgrid.com"
TIMEOUT_SECONDS = 15.0
# Statuses a retry can fix; every other 4xx means the request itself is wrong.
_RETRYABLE = {408, 429}


def _sendgrid_reason(exc: HTTPError) -> str:
    """SendGrid's own explanation (``errors[].message``), never the request or its credentials."""
    try:
        body = exc.body.decode() if isinstance(exc.body, bytes) else str(exc.body)
        messages = [e.get("message", "") for e in json.loads(body).get("errors", [])]
        detail = "; ".join(m for m in messages if m)
    except (ValueError, AttributeError, TypeError):
        detail = ""
    return f"SendGrid answered {exc.status_code}" + (f": {detail}" if detail else "")


class SendGridSender:
    provider = "sendgrid"

    def __init__(self, settings: Settings) -> None:
        if settings.sendgrid_api_key is None or not settings.sendgrid_api_key.get_secret_value():
            raise PermanentFailure("The SendGrid email adapter needs KEEL_SENDGRID_API_KEY.")
        self._client = SendGridAPIClient(
            api_key=settings.sendgrid_api_key.get_secret_value(),
            host=settings.sendgrid_api_host or SENDGRID_HOST,
        )
        self._client.client.timeout = TIMEOUT_SECONDS  # the SDK waits forever by default
        self._from = settings.email_from

    def _mail(self, message: OutgoingMessage) -> Mail:
        if not (message.text or message.html):
            raise PermanentFailure("An email needs a text or an HTML body.")
        if "@" not in message.to or any(c in message.to for c in "<>,\r\n"):
            raise PermanentFailure(f"{message.to!r} is not an email address.")
        mail = Mail(
            from_email=self._from,
            to_emails=To(message.to),
            subject=message.subject,
            plain_text_content=message.text or None,
            html_content=message.html or None,
        )
        # Echoed at the top level of every event webhook: how a callback finds its tenant and message.
        mail.custom_arg = [
            CustomArg("keel_tenant", str(message.tenant_id)),
            CustomArg("keel_message", str(message.message_id)),
        ]
        category = message.data.get("category")
        mail.category = [Category("keel")] + ([Category(category)] if isinstance(category, str) else [])
        for a in reversed(message.attachments):  # the SDK's add_attachment puts each one first
            content = FileContent(base64.b64encode(a.content).decode("ascii"))
            mail.add_attachment(
                SendGridAttachment(
                    content, FileName(a.name), FileType(a.content_type), Disposition("attachment")
                )
            )
        return mail

    def send(self, message: OutgoingMessage) -> SendResult:
        mail = self._mail(message)
        try:
            response: Any = self._client.send(mail)
        except HTTPError as exc:
            if exc.status_code in _RETRYABLE or exc.status_code >= 500:
                raise TransientFailure(_sendgrid_reason(exc)) from exc
            raise PermanentFailure(_sendgrid_reason(exc)) from exc
        except (urllib.error.URLError, OSError) as exc:  # refused, reset, timed out
            raise TransientFailure(f"SendGrid is unreachable: {exc}") from exc
        return SendResult("sendgrid", response.headers.get("X-Message-Id"), "sent")


class SmtpSender:
    provider = "smtp"

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._from = settings.email_from
        domain = parseaddr(settings.email_from)[1].rpartition("@")[2]
        self._domain = domain or "keel.localhost"

    def message_id(self, message: OutgoingMessage) -> str:
        """Derived from Keel's id, so a retried send carries the same Message-ID."""
        return f"<{message.message_id}@{self._domain}>"

    def _email(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        try:
            email["From"] = self._from
            email["To"] = message.to
            email["Subject"] = message.subject
            email["Message-ID"] = self.message_id(message)
            email["X-Keel-Tenant"] = str(message.tenant_id)
            email["X-Keel-Message"] = str(message.message_id)
        except ValueError as exc:  # a header with a line break: refuse rather than inject
            raise PermanentFailure(f"The message cannot be sent: {exc}") from exc
        email.set_content(message.text or " ")
        if message.html:
            email.add_alternative(message.html, subtype="html")
        for a in message.attachments:
            maintype, _, subtype = a.content_type.partition("/")
            email.add_attachment(
                a.content, maintype=maintype, subtype=subtype or "octet-stream", filename=a.name
            )
        return email

    def send(self, message: OutgoingMessage) -> SendResult:
        email = self._email(message)
        s = self._settings
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_username:
                    password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                    smtp.login(s.smtp_username, password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            reason = "; ".join(
                f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values()
            )
            failure = PermanentFailure if all(c >= 500 for c in codes) else TransientFailure
            raise failure(f"The SMTP server refused the recipient: {reason}") from exc
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else exc.smtp_error
            )
            failure = PermanentFailure if exc.smtp_code >= 500 else TransientFailure
            raise failure(f"The SMTP server answered {exc.smtp_code} {text}") from exc
        except smtplib.SMTPNotSupportedError as exc:  # e.g. STARTTLS configured, not offered
            raise PermanentFailure(f"The SMTP server does not support this: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientFailure(f"The SMTP server is unreachable: {exc}") from exc
        return SendResult("smtp", self.message_id(message), "sent")
