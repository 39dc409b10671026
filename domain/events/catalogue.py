"""The one catalogue of the event types Keel itself emits, with the JSON Schema of each payload.

Served at ``GET /api/v1/event-types``. Every namespace used here (the part before the first dot) is
Keel's: a client may not post an event in it (``POST /api/v1/events`` answers 422), so a subscriber
can trust that ``booking.confirmed`` comes from Keel. ``emit`` refuses a Keel-namespace name missing
from this list, so an event added in code without its entry fails the first test that emits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

JsonSchema = dict[str, Any]

UUID: JsonSchema = {"type": "string", "format": "uuid"}
UUID_OR_NULL: JsonSchema = {"type": ["string", "null"], "format": "uuid"}
TEXT: JsonSchema = {"type": "string"}
TEXT_OR_NULL: JsonSchema = {"type": ["string", "null"]}
TIME: JsonSchema = {"type": "string", "format": "date-time"}
TIME_OR_NULL: JsonSchema = {"type": ["string", "null"], "format": "date-time"}
INT: JsonSchema = {"type": "integer"}
OBJECT: JsonSchema = {"type": "object"}
ANY: JsonSchema = {}


def _obj(**properties: JsonSchema) -> JsonSchema:
    """An object with these members, all required; members added later do not break receivers."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": True,
    }


def _list(items: JsonSchema) -> JsonSchema:
    return {"type": "array", "items": items}


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    payload: JsonSchema


# The envelope every delivery carries (Standard Webhooks): ``data`` is the payload plus the event id.
ENVELOPE: JsonSchema = _obj(
    type=TEXT,
    timestamp=TIME,
    data=_obj(id=UUID),
)

_PROCESS = {"process_id": UUID}
_TASK = _PROCESS | {
    "task_id": UUID,
    "title": TEXT,
    "assignee": TEXT_OR_NULL,
    "status": TEXT,
    "outcome": TEXT_OR_NULL,
    "due_at": TIME_OR_NULL,
}
_PROCESS_ENDED = _obj(
    process_id=UUID, definition=TEXT_OR_NULL, business_key=TEXT_OR_NULL, output=ANY, error=TEXT_OR_NULL
)
_BOOKING = _obj(
    booking_id=UUID, status=TEXT, subject=TEXT_OR_NULL, start=TIME, end=TIME, resources=_list(UUID)
)
_ENTITY = _obj(type=TEXT, id=UUID, version=INT)
_ENTITY_TYPE = _obj(type=TEXT, version=INT)
_RELATIONSHIP = _obj(id=UUID, relation_type=TEXT, source_id=UUID, target_id=UUID)
_RESOURCE = _obj(id=UUID, name=TEXT)
_CAMPAIGN = _obj(campaign_id=UUID, template=TEXT)
_NOTIFICATION = _obj(delivery_id=UUID)
_DOCUMENT = _obj(
    document_id=UUID,
    name=TEXT,
    document_type=TEXT,
    version=INT,
    status=TEXT,
    source=TEXT,
    entity_type=TEXT_OR_NULL,
    entity_id=UUID_OR_NULL,
    sha256=TEXT_OR_NULL,
)
_SIGNING = _obj(
    signing_request_id=UUID,
    document_id=UUID,
    title=TEXT,
    status=TEXT,
    signer_id=UUID_OR_NULL,
    signer_email=TEXT_OR_NULL,
)
_INVOICE = _obj(
    invoice_id=UUID,
    customer_id=UUID,
    number=TEXT_OR_NULL,
    status=TEXT,
    currency=TEXT,
    total=TEXT,
    amount_due=TEXT,
)
_INVOICE_STEPS = {
    "finalized": "An invoice was finalized: it has its ``number`` and can no longer change.",
    "sent": "An invoice was emailed to its customer.",
    "paid": "An invoice is paid in full.",
    "overdue": "An invoice passed its due date unpaid.",
    "voided": "An invoice was voided.",
    "uncollectible": "An invoice was marked uncollectible.",
}
_QUOTE = _obj(
    quote_id=UUID,
    customer_id=UUID,
    number=TEXT,
    status=TEXT,
    currency=TEXT,
    total=TEXT,
    valid_until=TEXT,
    invoice_id=UUID_OR_NULL,
)
_QUOTE_STEPS = {
    "sent": "A quote was emailed to its customer with the link to accept or decline it.",
    "accepted": "A customer accepted a quote: ``invoice_id`` is the finalized invoice made from it.",
    "declined": "A customer declined a quote.",
    "expired": "A sent quote passed its ``valid_until`` day unanswered.",
}
_PAYMENT = _obj(
    payment_id=UUID,
    invoice_id=UUID_OR_NULL,
    customer_id=UUID,
    amount=TEXT,
    currency=TEXT,
    method=TEXT,
    status=TEXT,
)
_PAYMENT_STEPS = {
    "succeeded": "A payment was received (``method``: manual, bank_transfer or stripe).",
    "failed": "A payment attempt failed.",
    "refunded": "A payment was refunded, in part or in full (``amount`` is what was refunded).",
}
_SUBSCRIPTION = _obj(
    subscription_id=UUID,
    customer_id=UUID,
    status=TEXT,
    current_period_start=TIME_OR_NULL,
    current_period_end=TIME_OR_NULL,
    cancel_at_period_end={"type": "boolean"},
)
_SUBSCRIPTION_STEPS = {
    "created": "A subscription was created (``status`` trialing or active).",
    "trial_ended": "A subscription's trial ended; its first paid period started.",
    "renewed": "A subscription entered a new billing period.",
    "updated": "A subscription's items or quantities changed (prorated).",
    "paused": "A subscription was paused: no invoices until it resumes.",
    "resumed": "A paused subscription resumed.",
    "past_due": "A subscription's invoice is overdue: dunning runs.",
    "suspended": "Dunning failed: the subscription is suspended.",
    "canceled": "A subscription ended (now, or at the end of its period as asked).",
}
_SIGNING_STEPS = {
    "sent": "A signing request's current order of signers was emailed their links (``order``).",
    "viewed": "A signer opened their signing link for the first time.",
    "signed": "A signer signed (or an approver approved).",
    "declined": "A signer declined; the request ended for everyone (``reason``).",
    "completed": "Everyone signed; the sealed document is the document's new ``version``.",
    "expired": "A signing request reached its deadline unsigned.",
    "voided": "The sender withdrew a signing request (``reason``).",
}


def _types() -> list[EventType]:
    started = _obj(**_PROCESS, definition=TEXT, version=ANY, business_key=TEXT)
    task = _obj(**_TASK)
    out = [
        EventType("process.started", "A process started.", started),
        EventType("process.start_failed", "A process could not be started.", _obj(**_PROCESS)),
        *(
            EventType(f"process.{end}", f"A process ended: {end.replace('_', ' ')}.", _PROCESS_ENDED)
            for end in ("completed", "failed", "cancelled", "terminated", "timed_out")
        ),
        EventType("task.assigned", "A task was assigned (or reassigned by an escalation).", task),
        EventType("task.completed", "A task was completed with an outcome.", task),
        EventType("task.expired", "A task's deadline passed without an outcome.", task),
        EventType("task.cancelled", "A task was cancelled with its process.", task),
        EventType(
            "sla.breached",
            "A task's SLA was breached; ``action`` says what Keel did about it.",
            _obj(**_TASK, breached_at=TIME, breach_due_at=TIME, action=TEXT, detail=TEXT),
        ),
        *(
            EventType(f"entity.{op}", f"An entity record was {op}.", _ENTITY)
            for op in ("created", "updated", "deleted", "restored", "merged")
        ),
        EventType(
            "entity.batch_changed",
            "Records of one type changed in bulk or by an import (at most a few hundred ids each).",
            _obj(type=TEXT, ids=_list(UUID), source=TEXT),
        ),
        EventType("entity_type.changed", "An entity type was created or changed.", _ENTITY_TYPE),
        EventType("relationship.created", "Two records were related.", _RELATIONSHIP),
        EventType("relationship.deleted", "A relationship was removed (or by a merge).", _RELATIONSHIP),
        EventType("resource.created", "A bookable resource was created.", _RESOURCE),
        EventType("resource.updated", "A bookable resource changed.", _RESOURCE),
        EventType("resource.deleted", "A bookable resource was deleted.", _RESOURCE),
        EventType(
            "resource.availability_changed",
            "A resource's availability changed (a rule, a closure or an imported calendar).",
            _obj(resource_id=UUID),
        ),
        *(
            EventType(f"booking.{what}", f"A booking was {what.replace('_', ' ')}.", _BOOKING)
            for what in ("held", "confirmed", "cancelled", "expired", "completed", "rescheduled")
        ),
        EventType("booking.no_show", "A booking was marked as a no-show.", _BOOKING),
        EventType(
            "booking_series.created",
            "A recurring series of bookings was created.",
            _obj(series_id=UUID, rrule=TEXT, timezone=TEXT, bookings=_list(UUID), skipped=_list(ANY)),
        ),
        EventType(
            "notification.requested",
            "A notification was requested inside a transaction; the dispatcher starts its delivery.",
            _obj(delivery_id=UUID, template=TEXT, category=TEXT, channels=_list(TEXT)),
        ),
        EventType("notification.delivered", "A notification reached its recipient.", _NOTIFICATION),
        EventType("notification.failed", "A notification could not be delivered.", _NOTIFICATION),
        EventType("campaign.completed", "A campaign sent to its whole audience.", _CAMPAIGN),
        EventType("campaign.cancelled", "A campaign was cancelled.", _CAMPAIGN),
        EventType("document.created", "A document was stored, or accepted for generation.", _DOCUMENT),
        EventType("document.version_added", "A document has a new current version.", _DOCUMENT),
        EventType("document.deleted", "A document was deleted (soft: it can be restored).", _DOCUMENT),
        EventType("document.restored", "A deleted document was restored.", _DOCUMENT),
        EventType("document.generated", "A document generated from a template is ready.", _DOCUMENT),
        EventType(
            "document.generation_failed",
            "A document could not be generated; ``reason`` says why.",
            _obj(**_DOCUMENT["properties"], reason=TEXT),
        ),
        *(EventType(f"signing_request.{step}", text, _SIGNING) for step, text in _SIGNING_STEPS.items()),
        *(EventType(f"invoice.{step}", text, _INVOICE) for step, text in _INVOICE_STEPS.items()),
        *(EventType(f"payment.{step}", text, _PAYMENT) for step, text in _PAYMENT_STEPS.items()),
        *(EventType(f"quote.{step}", text, _QUOTE) for step, text in _QUOTE_STEPS.items()),
        *(
            EventType(f"subscription.{step}", text, _SUBSCRIPTION)
            for step, text in _SUBSCRIPTION_STEPS.items()
        ),
        EventType(
            "webhook.test",
            "Sent by POST /api/v1/webhooks/{id}/test to check an endpoint and its signature check.",
            _obj(webhook_id=UUID, message=TEXT),
        ),
    ]
    return sorted(out, key=lambda e: e.name)


CATALOGUE: dict[str, EventType] = {e.name: e for e in _types()}
NAMESPACES: frozenset[str] = frozenset(name.split(".", 1)[0] for name in CATALOGUE)


class UnknownEventType(RuntimeError):
    """Keel code emitted an event in one of its namespaces that the catalogue does not list."""


def namespace(name: str) -> str:
    return name.strip().lower().split(".", 1)[0]


def is_reserved(name: str) -> bool:
    """True when the name (case-insensitively) falls in a namespace Keel emits in."""
    return namespace(name) in NAMESPACES


def check_emitted(name: str) -> None:
    """Keel's own events must be catalogued; other names are the tenant's (posted or from a YAML step)."""
    if is_reserved(name) and name not in CATALOGUE:
        raise UnknownEventType(f"{name!r} is in a Keel namespace but not in domain/events/catalogue.py")
