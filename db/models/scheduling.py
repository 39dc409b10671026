"""Resources, their availability rules, and bookings whose allocations can never overlap."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, text
from sqlalchemy.dialects.postgresql import JSONB, TSTZRANGE, UUID, ExcludeConstraint, Range
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, TenantOwned, parent_key


class Resource(Base, TenantOwned):
    """Something bookable: a room, equipment, a person (optionally a user or an entity)."""

    __tablename__ = "resources"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # room | equipment | person | other
    description: Mapped[str | None] = mapped_column(Text)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    timezone: Mapped[str] = mapped_column(String(64))  # IANA, e.g. Europe/Paris
    tags: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # skills and kinds: surgeon, or-room
    buffer_before_seconds: Mapped[int] = mapped_column(Integer, default=0)
    buffer_after_seconds: Mapped[int] = mapped_column(Integer, default=0)
    # No start is offered or booked before now plus this notice.
    minimum_notice_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    entity_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("entities.id", ondelete="SET NULL")
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Bookings paid to confirm: {required: deposit|full, amount, amount_minor, currency, hold_seconds};
    # None: booked without payment.
    payment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class AvailabilityRule(Base, TenantOwned):
    """When a resource can be booked, in its local wall time.

    ``weekly``: ``weekdays`` (0 = Monday) from ``start_time`` to ``end_time``;
    ``override``: on ``on_date`` only these hours (or none when ``start_time`` is null: closed);
    ``closure``: closed on the days an RFC 5545 ``rrule`` (with ``exdates``) yields, all day or
    ``start_time``-``end_time``; ``block``: closed from ``starts_at`` to ``ends_at`` (absolute).
    """

    __tablename__ = "availability_rules"

    resource_id: Mapped[uuid.UUID] = parent_key("resources", index=True)
    kind: Mapped[str] = mapped_column(String(16))  # weekly | override | closure | block
    weekdays: Mapped[list[Any]] = mapped_column(JSONB, default=list)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    on_date: Mapped[date | None] = mapped_column(Date)
    rrule: Mapped[str | None] = mapped_column(Text)  # with DTSTART; closures recur
    exdates: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # ISO dates skipped by the rrule
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    # Who wrote the rule: None for the API, "ics:<calendar import id>" for imported busy times.
    source: Mapped[str | None] = mapped_column(String(64), index=True)


class Booking(Base, TenantOwned):
    """One booking of one or more resources for one span; its process is a Temporal workflow."""

    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_tenant_start", "tenant_id", "start_at"),)

    subject: Mapped[str | None] = mapped_column(String(500))
    # held, confirmed, cancelled, expired (hold not confirmed in time), completed, no_show
    status: Mapped[str] = mapped_column(String(16), index=True)
    start_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    end_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    hold_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requires_confirmation: Mapped[bool] = mapped_column(Boolean, default=True)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("entities.id", ondelete="SET NULL")
    )
    series_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    workflow_id: Mapped[str | None] = mapped_column(String(255))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)  # the fee flag
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The invoice whose payment confirms the booking, and what it asks: {required, amount, currency,
    # status (the invoice's, kept in step on each change), amount_paid}. None: no payment asked.
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("invoices.id", ondelete="SET NULL"), index=True
    )
    payment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class Allocation(Base, TenantOwned):
    """A booking's hold on one resource, buffers included. Overlaps are impossible by construction:
    the exclusion constraint refuses two active allocations of a resource whose spans intersect."""

    __tablename__ = "allocations"
    __table_args__ = (
        ExcludeConstraint(
            ("resource_id", "="),
            ("span", "&&"),
            name="ex_allocations_no_overlap",
            using="gist",
            where=text("active"),
        ),
    )

    booking_id: Mapped[uuid.UUID] = parent_key("bookings", index=True)
    resource_id: Mapped[uuid.UUID] = parent_key("resources", index=True)
    # [start - buffer_before, end + buffer_after)
    span: Mapped[Range[datetime]] = mapped_column(TSTZRANGE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BookingSeries(Base, TenantOwned):
    """A recurring booking: the RFC 5545 rule and what each occurrence books (bookings.series_id)."""

    __tablename__ = "booking_series"

    rrule: Mapped[str] = mapped_column(Text)  # RRULE:… with COUNT or UNTIL (capped)
    timezone: Mapped[str] = mapped_column(String(64))  # the wall time the occurrences keep
    first_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    duration_seconds: Mapped[int] = mapped_column(Integer)
    resource_ids: Mapped[list[Any]] = mapped_column(JSONB)
    subject: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | cancelled
    skipped: Mapped[list[Any]] = mapped_column(JSONB, default=list)  # occurrences not booked, with why
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class CalendarImport(Base, TenantOwned):
    """Busy times read from an external iCalendar (a URL synced periodically, or a file once) into
    ``block`` rules of the resource whose ``source`` names this import."""

    __tablename__ = "calendar_imports"

    resource_id: Mapped[uuid.UUID] = parent_key("resources", index=True)
    # The URL, encrypted at rest (``keel.crypto``): calendar URLs are often private capability links.
    url: Mapped[str | None] = mapped_column(Text)
    interval_seconds: Mapped[int | None] = mapped_column(Integer)  # None: a one-off file
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | failed | stopped
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    events_imported: Mapped[int] = mapped_column(Integer, default=0)
    workflow_id: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
