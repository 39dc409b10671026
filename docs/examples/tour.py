"""The getting-started guide's three parts with the Python client (keel-client): an approval decided
by its assignee, a booking of a free slot, a webhook whose signed deliveries a local receiver checks.

    KEEL_URL=http://127.0.0.1:8000 KEEL_API_KEY=keel_... .venv/bin/python docs/examples/tour.py

It makes its own role, user, room and webhook (names suffixed so that it can run again).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import httpx
from keel_client import Keel
from keel_client.api.availability import get_availability
from keel_client.api.bookings import cancel_booking, confirm_booking, create_booking
from keel_client.api.identity import create_role, create_user
from keel_client.api.processes import start_process
from keel_client.api.resources import add_rule, create_resource
from keel_client.api.tasks import complete_task
from keel_client.api.webhooks import create_webhook, test_webhook
from keel_client.models import (
    BookingIn,
    ProcessStart,
    ResourceBody,
    RoleCreate,
    RuleIn,
    TaskCompleteIn,
    UserCreate,
    WebhookCreate,
)


def approval(keel: Keel, url: str, run: str) -> Any:
    """A manager role, Mia who holds it, an approval she decides: the finished process."""
    role, email, password = f"manager-{run}", f"mia-{run}@example.com", "mia-password-1"
    keel.call(
        create_role,
        body=RoleCreate.from_dict({"name": role, "permissions": ["tasks:read", "tasks:complete"]}),
    )
    keel.call(create_user, body=UserCreate.from_dict({"email": email, "password": password, "roles": [role]}))
    po = keel.call(
        start_process,
        body=ProcessStart.from_dict(
            {
                "definition": "approval",
                "business_key": f"PO-{run}",
                "input": {
                    "subject": "Laptops",
                    "amount": {"value": "1200.00", "currency": "EUR"},
                    "chain": [{"assignee": f"role:{role}", "due": "P2D"}],
                },
            }
        ),
    )
    token = httpx.post(f"{url}/api/v1/auth/token", data={"username": email, "password": password})
    with Keel(url, token=token.json()["access_token"]) as mia:
        task = mia.wait_for_task(process_id=po.id)  # a long poll: answers when the step opens it
        mia.call(complete_task, task.id, body=TaskCompleteIn(outcome="approve", comment="fine"))
    return keel.wait_for_process(po.id)  # a long poll: answers when the process ends


def booking(keel: Keel, run: str) -> Any:
    """A room open every day 09:00-17:00 UTC, its first free hour the day after tomorrow, booked."""
    room = keel.call(create_resource, body=ResourceBody.from_dict({"name": f"Room {run}", "timezone": "UTC"}))
    rule = {
        "kind": "weekly",
        "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
        "start": "09:00",
        "end": "17:00",
    }
    keel.call(add_rule, room.id, body=RuleIn.from_dict(rule))
    day = (datetime.now(UTC) + timedelta(days=2)).date()
    slots = keel.call(
        get_availability,
        resources=str(room.id),
        duration="PT1H",
        from_=f"{day}T00:00:00Z",
        to=f"{day}T23:59:00Z",
    )
    held = keel.call(
        create_booking,
        body=BookingIn.from_dict(
            {
                "resources": [str(room.id)],
                "start": slots[0].start.isoformat(),
                "duration": "PT1H",
                "hold": "PT10M",
            }
        ),
    )
    return keel.call(confirm_booking, held.id)


class Receiver(BaseHTTPRequestHandler):
    """Checks each delivery's Standard Webhooks signature: HMAC-SHA256 of ``id.timestamp.body``."""

    key = b""
    received: list[tuple[bool, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        signed = f"{self.headers['webhook-id']}.{self.headers['webhook-timestamp']}.".encode() + body
        expected = "v1," + base64.b64encode(hmac.new(self.key, signed, hashlib.sha256).digest()).decode()
        self.received.append((expected in self.headers["webhook-signature"].split(), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def webhook(keel: Keel, booking_id: uuid.UUID) -> list[tuple[bool, bytes]]:
    """A receiver on a free local port subscribed to booking events; a test delivery, then the
    booking's cancellation: what the receiver got, each with whether its signature held."""
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook = keel.call(
        create_webhook,
        body=WebhookCreate.from_dict(
            {"url": f"http://127.0.0.1:{server.server_port}/keel", "events": ["booking.*"]}
        ),
    )
    Receiver.key = base64.b64decode(hook.secret.removeprefix("whsec_"))
    keel.call(test_webhook, hook.id)  # sent at once
    keel.call(cancel_booking, booking_id)  # booking.cancelled, delivered by a workflow
    deadline = datetime.now(UTC) + timedelta(seconds=30)
    while len(Receiver.received) < 2 and datetime.now(UTC) < deadline:
        threading.Event().wait(0.1)
    server.shutdown()
    return Receiver.received


def main() -> None:
    url, run = os.environ["KEEL_URL"], uuid.uuid4().hex[:6]
    with Keel(url, api_key=os.environ["KEEL_API_KEY"]) as keel:
        done = approval(keel, url, run)
        print("approval:", done.status, done.result)
        confirmed = booking(keel, run)
        print("booking:", confirmed.status, confirmed.start)
        for ok, body in webhook(keel, confirmed.id):
            print("webhook:", "signature ok" if ok else "BAD SIGNATURE", body.decode()[:80])


if __name__ == "__main__":
    main()
