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


# A field's schema follows from its name (``*_id`` a uuid; ``*_at``, ``*_start``, ``*_end`` a time;
# ``version`` an integer; any other name text); a ``?`` after the name lets it be null too.
_BY_SUFFIX: tuple[tuple[tuple[str, ...], JsonSchema, JsonSchema], ...] = (
    (("_id",), UUID, UUID_OR_NULL),
    (("_at", "_start", "_end"), TIME, TIME_OR_NULL),
    (("version",), INT, INT),
)


def _kind(bare: str) -> tuple[JsonSchema, JsonSchema]:
    """A field's schema and its may-be-null twin, by the naming rule above."""
    for ends, schema, or_null in _BY_SUFFIX:
        if bare.endswith(ends):
            return schema, or_null
    return TEXT, TEXT_OR_NULL


def _fields(names: str) -> dict[str, JsonSchema]:
    """The schemas of space-separated field names (``name?``: may be null)."""
    fields: dict[str, JsonSchema] = {}
    for name in names.split():
        bare = name.removesuffix("?")
        schema, or_null = _kind(bare)
        fields[bare] = or_null if name.endswith("?") else schema
    return fields


def _record(names: str, **more: JsonSchema) -> JsonSchema:
    """An object of the named fields (see ``_fields``), then ``more``."""
    return _obj(**_fields(names), **more)


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
_TASK = _fields("process_id task_id title assignee? status outcome? due_at?")
_PROCESS_ENDED = _obj(
    process_id=UUID, definition=TEXT_OR_NULL, business_key=TEXT_OR_NULL, output=ANY, error=TEXT_OR_NULL
)
_BOOKING = _obj(
    booking_id=UUID, status=TEXT, subject=TEXT_OR_NULL, start=TIME, end=TIME, resources=_list(UUID)
)
_DOCUMENT = _record("document_id name document_type version status source entity_type? entity_id? sha256?")
# Each family of events: the payload all its events carry, and each event's name after the dot
# with what it means.
_FAMILIES: dict[str, tuple[JsonSchema, dict[str, str]]] = {
    "task": (
        _obj(**_TASK),
        {
            "assigned": "A task was assigned (or reassigned by an escalation).",
            "completed": "A task was completed with an outcome.",
            "expired": "A task's deadline passed without an outcome.",
            "cancelled": "A task was cancelled with its process.",
        },
    ),
    "relationship": (
        _obj(id=UUID, relation_type=TEXT, source_id=UUID, target_id=UUID),
        {"created": "Two records were related.", "deleted": "A relationship was removed (or by a merge)."},
    ),
    "resource": (
        _obj(id=UUID, name=TEXT),
        {
            "created": "A bookable resource was created.",
            "updated": "A bookable resource changed.",
            "deleted": "A bookable resource was deleted.",
        },
    ),
    "notification": (
        _obj(delivery_id=UUID),
        {
            "delivered": "A notification reached its recipient.",
            "failed": "A notification could not be delivered.",
        },
    ),
    "campaign": (
        _obj(campaign_id=UUID, template=TEXT),
        {"completed": "A campaign sent to its whole audience.", "cancelled": "A campaign was cancelled."},
    ),
    "document": (
        _DOCUMENT,
        {
            "created": "A document was stored, or accepted for generation.",
            "version_added": "A document has a new current version.",
            "deleted": "A document was deleted (soft: it can be restored).",
            "restored": "A deleted document was restored.",
            "generated": "A document generated from a template is ready.",
        },
    ),
    "signing_request": (
        _record("signing_request_id document_id title status signer_id? signer_email?"),
        {
            "sent": "A signing request's current order of signers was emailed their links (``order``).",
            "viewed": "A signer opened their signing link for the first time.",
            "signed": "A signer signed (or an approver approved).",
            "declined": "A signer declined; the request ended for everyone (``reason``).",
            "completed": "Everyone signed; the sealed document is the document's new ``version``.",
            "expired": "A signing request reached its deadline unsigned.",
            "voided": "The sender withdrew a signing request (``reason``).",
        },
    ),
    "invoice": (
        _record("invoice_id customer_id number? status currency total amount_due"),
        {
            "finalized": "An invoice was finalized: it has its ``number`` and can no longer change.",
            "sent": "An invoice was emailed to its customer.",
            "paid": "An invoice is paid in full.",
            "overdue": "An invoice passed its due date unpaid.",
            "voided": "An invoice was voided.",
            "uncollectible": "An invoice was marked uncollectible.",
        },
    ),
    "quote": (
        _record("quote_id customer_id number status currency total valid_until invoice_id?"),
        {
            "sent": "A quote was emailed to its customer with the link to accept or decline it.",
            "accepted": "A customer accepted a quote: ``invoice_id`` is the finalized invoice made from it.",
            "declined": "A customer declined a quote.",
            "expired": "A sent quote passed its ``valid_until`` day unanswered.",
        },
    ),
    "payment": (
        _record("payment_id invoice_id? customer_id amount currency method status"),
        {
            "succeeded": "A payment was received (``method``: manual, bank_transfer or stripe).",
            "failed": "A payment attempt failed; an automatic charge adds ``attempt`` (0 the first), "
            "``failure_code`` and ``failure_message``.",
            "refunded": "A payment was refunded, in part or in full (``amount`` is what was refunded).",
        },
    ),
    "subscription": (
        _record(
            "subscription_id customer_id status current_period_start? current_period_end?",
            cancel_at_period_end={"type": "boolean"},
        ),
        {
            "created": "A subscription was created (``status`` trialing or active).",
            "trial_ended": "A subscription's trial ended; its first paid period started.",
            "renewed": "A subscription entered a new billing period.",
            "updated": "A subscription's items or quantities changed (prorated).",
            "paused": "A subscription was paused: no invoices until it resumes.",
            "resumed": "A paused subscription resumed.",
            "past_due": "A subscription's invoice is overdue: dunning runs.",
            "suspended": "Dunning failed: the subscription is suspended.",
            "canceled": "A subscription ended (now, or at the end of its period as asked).",
        },
    ),
}


def _types() -> list[EventType]:
    out = [
        EventType(
            "analytics.alert",
            "An alert on a metric opened (``state`` open) or resolved (``state`` resolved), with the "
            "observed figure, the expected range and the reason in words.",
            _record(
                "alert_id incident_id state name? metric condition observed_at? reason resolution? "
                "opened_at resolved_at?",
                observed=ANY,
                expected_low=ANY,
                expected_high=ANY,
            ),
        ),
        EventType(
            "process.started",
            "A process started.",
            _obj(**_PROCESS, definition=TEXT, version=ANY, business_key=TEXT),
        ),
        EventType("process.start_failed", "A process could not be started.", _obj(**_PROCESS)),
        *(
            EventType(f"process.{end}", f"A process ended: {end.replace('_', ' ')}.", _PROCESS_ENDED)
            for end in ("completed", "failed", "cancelled", "terminated", "timed_out")
        ),
        EventType(
            "sla.breached",
            "A task's SLA was breached; ``action`` says what Keel did about it.",
            _obj(**_TASK, breached_at=TIME, breach_due_at=TIME, action=TEXT, detail=TEXT),
        ),
        *(
            EventType(f"entity.{op}", f"An entity record was {op}.", _obj(type=TEXT, id=UUID, version=INT))
            for op in ("created", "updated", "deleted", "restored", "merged")
        ),
        EventType(
            "entity.batch_changed",
            "Records of one type changed in bulk or by an import (at most a few hundred ids each).",
            _obj(type=TEXT, ids=_list(UUID), source=TEXT),
        ),
        EventType(
            "entity_type.changed", "An entity type was created or changed.", _obj(type=TEXT, version=INT)
        ),
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
        EventType(
            "document.generation_failed",
            "A document could not be generated; ``reason`` says why.",
            _obj(**_DOCUMENT["properties"], reason=TEXT),
        ),
        EventType(
            "analytics.subscription_failed",
            "A report subscription's run failed after its retries; nobody was emailed; ``error`` says why.",
            _record("subscription_id run_id error"),
        ),
        *(
            EventType(f"{family}.{step}", text, payload)
            for family, (payload, steps) in _FAMILIES.items()
            for step, text in steps.items()
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
