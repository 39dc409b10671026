"""What Keel holds about one person, found by their email address; and erasing it.

A person is found in: the user row with that address, inbox tasks assigned to ``user:<address>``,
the user's in-app notifications, deliveries and delivery messages to the address, bookings and
entity records whose JSON mentions the address, billing customers with that email, and the audit
entries about the user or mentioning the address.

Erasure replaces the address with its keyed hash (``domain.audit.canonical.pseudonym``) wherever it
was found, names next to it with "erased", deactivates the user and ends their sessions. Audit rows
change only through ``keel_audit_erase``, which rewrites the address to the very hash the chain's
canonical form already holds, so the chain still verifies. Both export and erasure are audited
under the hash, never the address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Text, cast, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import (
    AuditLog,
    BillingCustomer,
    Booking,
    Delivery,
    DeliveryMessage,
    Entity,
    EntityVersion,
    Invoice,
    Notification,
    Task,
    User,
)
from domain.audit import service as audit
from domain.audit.canonical import EMAIL, is_email, pseudonym
from domain.context import TenantContext
from domain.errors import NotFound, PermissionDenied, ValidationFailed
from domain.identity import sessions
from domain.identity.revocation import forget_principals
from domain.outputs import plain

ERASED = "erased"
# Keys whose value is a person's name when they sit next to the address in one JSON object.
NAME_KEYS = frozenset(
    {"name", "full_name", "first_name", "last_name", "display_name", "given_name", "family_name"}
)
# Never exported, whatever the table.
HIDDEN = frozenset({"password_hash", "totp_secret", "recovery_hashes", "refresh_hash"})


class Person:
    """One address and the rewrite that erases it."""

    def __init__(self, address: str, key: bytes) -> None:
        if not is_email(address):
            raise ValidationFailed.one("email", "is not an email address")
        self.address = address.strip().lower()
        self.digest = pseudonym(key, self.address)

    def _swap(self, match: Any) -> str:
        found: str = match.group(0)
        return self.digest if found.lower() == self.address else found

    def scrub(self, value: Any) -> Any:
        """``value`` with every occurrence of the address hashed, and names beside it erased."""
        if isinstance(value, str):
            return EMAIL.sub(self._swap, value)
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            out = {self.scrub(k): self.scrub(v) for k, v in value.items()}
            if any(isinstance(v, str) and self.mentioned(v) for v in value.values()):  # the address is here
                out.update({k: ERASED for k, v in out.items() if k in NAME_KEYS and isinstance(v, str)})
            return out
        return value

    def mentioned(self, value: Any) -> bool:
        return self.scrub(value) != value

    def in_json(self, column: InstrumentedAttribute[Any]) -> Any:
        """A cheap SQL pre-filter (the address as a substring); ``mentioned`` decides exactly."""
        return func.lower(cast(column, Text)).contains(self.address, autoescape=True)


def _admin(ctx: TenantContext) -> None:
    if not ctx.is_admin:
        raise PermissionDenied("Only an administrator (holding '*') exports or erases a person's data.")


def _row(obj: Any) -> dict[str, Any]:
    names = [c.key for c in obj.__mapper__.column_attrs if c.key not in HIDDEN]
    return {name: plain(getattr(obj, name)) for name in names}


class Found:
    """The rows that hold the person, by kind."""

    def __init__(self, session: Session, ctx: TenantContext, person: Person) -> None:
        self.user = session.scalar(select(User).where(User.email == person.address))
        user_id = self.user.id if self.user is not None else None
        self.tasks = _scalars(
            session, select(Task).where(func.lower(Task.assignee) == f"user:{person.address}")
        )
        self.notifications = (
            _scalars(session, select(Notification).where(Notification.user_id == user_id)) if user_id else []
        )
        self.deliveries = _scalars(
            session,
            select(Delivery).where(or_(Delivery.user_id == user_id, person.in_json(Delivery.recipient)))
            if user_id
            else select(Delivery).where(person.in_json(Delivery.recipient)),
        )
        self.delivery_messages = _scalars(
            session, select(DeliveryMessage).where(func.lower(DeliveryMessage.address) == person.address)
        )
        self.entities = _mentioning(
            session, select(Entity).where(person.in_json(Entity.attributes)), person, lambda e: [e.attributes]
        )
        self.customers = _scalars(
            session, select(BillingCustomer).where(func.lower(BillingCustomer.email) == person.address)
        )
        paid_by = set(
            session.scalars(select(Invoice.id).where(Invoice.customer_id.in_([c.id for c in self.customers])))
        )
        self.bookings = [
            b
            for b in session.scalars(
                select(Booking).where(
                    or_(
                        person.in_json(Booking.details),
                        person.in_json(Booking.payment),
                        Booking.invoice_id.in_(paid_by),
                    )
                )
            )
            if b.invoice_id in paid_by or person.mentioned(b.details) or person.mentioned(b.payment)
        ]
        about = [person.in_json(AuditLog.changes), func.lower(AuditLog.entity_id) == person.address]
        if user_id is not None:
            about.append((AuditLog.entity_type == "user") & (AuditLog.entity_id == str(user_id)))
        self.audit = _scalars(session, select(AuditLog).where(or_(*about)).order_by(AuditLog.created_at))

    def export(self) -> dict[str, Any]:
        return {
            "user": _row(self.user) if self.user is not None else None,
            **{kind: [_row(r) for r in rows] for kind, rows in self._kinds().items()},
        }

    def _kinds(self) -> dict[str, list[Any]]:
        return {
            "tasks": self.tasks,
            "notifications": self.notifications,
            "deliveries": self.deliveries,
            "delivery_messages": self.delivery_messages,
            "bookings": self.bookings,
            "entities": self.entities,
            "customers": self.customers,
            "audit": self.audit,
        }

    def counts(self) -> dict[str, int]:
        return {"user": int(self.user is not None), **{k: len(v) for k, v in self._kinds().items()}}

    @property
    def empty(self) -> bool:
        return not any(self.counts().values())


def _scalars(session: Session, stmt: Any) -> list[Any]:
    return list(session.scalars(stmt))


def _mentioning(
    session: Session, stmt: Any, person: Person, values: Callable[[Any], Iterable[Any]]
) -> list[Any]:
    return [row for row in session.scalars(stmt) if any(person.mentioned(v) for v in values(row))]


def _gather(session: Session, ctx: TenantContext, address: str, key: bytes) -> tuple[Person, Found]:
    _admin(ctx)
    person = Person(address, key)
    found = Found(session, ctx, person)
    if found.empty:
        raise NotFound("person", person.digest)
    return person, found


def export(session: Session, ctx: TenantContext, address: str, key: bytes) -> dict[str, Any]:
    """Everything found about the person as JSON; 404 when nothing is."""
    person, found = _gather(session, ctx, address, key)
    out = {"email": person.address, **found.export()}
    audit.record(session, ctx, "person.exported", "person", person.digest, {"found": found.counts()})
    return out


def erase(session: Session, ctx: TenantContext, address: str, key: bytes) -> dict[str, Any]:
    """Anonymise the person wherever found; what was changed, by kind."""
    person, found = _gather(session, ctx, address, key)
    if found.user is not None:
        found.user.email = person.digest
        found.user.full_name = ERASED
        found.user.is_active = False
        sessions.revoke_all(session, ctx, found.user.id, "erased")
        forget_principals(session)
    for task in found.tasks:
        task.assignee = f"user:{person.digest}"
        task.data = person.scrub(task.data)
    for note in found.notifications:
        note.title, note.body, note.data = (person.scrub(v) for v in (note.title, note.body, note.data))
    for delivery in found.deliveries:
        delivery.recipient, delivery.data = person.scrub(delivery.recipient), person.scrub(delivery.data)
    for message in found.delivery_messages:
        message.address = person.digest
    for booking in found.bookings:
        booking.details, booking.payment = person.scrub(booking.details), person.scrub(booking.payment)
    for entity in found.entities:
        entity.attributes = person.scrub(entity.attributes)
    for version in _mentioning(
        session,
        select(EntityVersion).where(person.in_json(EntityVersion.attributes)),
        person,
        lambda v: [v.attributes, v.diff],
    ):
        version.attributes, version.diff = person.scrub(version.attributes), person.scrub(version.diff)
    for customer in found.customers:
        customer.email, customer.name = person.digest, ERASED
    session.flush()
    rewritten = int(session.scalar(select(func.keel_audit_erase(person.address, person.digest))) or 0)
    counts = {**found.counts(), "audit": rewritten}
    audit.record(session, ctx, "person.erased", "person", person.digest, {"erased": counts})
    return {"email_hash": person.digest, "erased": counts}
