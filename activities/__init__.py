"""Temporal activities: thin adapters from a workflow to the domain, registered in one place."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError

from db.session import tenant_session
from domain.context import TenantContext
from domain.errors import DomainError
from keel.settings import Settings


@dataclass(frozen=True)
class Deps:
    """What activity classes are built with."""

    engine: Engine
    settings: Settings
    # For activities that start or signal workflows (the outbox dispatcher); None in unit tests
    # of activities that need no client.
    client: Client | None = None
    # The worker's event loop, where the client runs; sync activities (threads) submit to it.
    loop: asyncio.AbstractEventLoop | None = None

    @contextmanager
    def unit(
        self, tenant_id: uuid.UUID, *, final: tuple[type[DomainError], ...] = ()
    ) -> Iterator[tuple[Session, TenantContext]]:
        """An activity's unit of work: one tenant transaction, acting as the tenant's system actor
        and correlated with the calling workflow. A ``final`` error is a business fact no retry can
        change (a vanished booking, a closed task): it fails the activity without retries."""
        correlation = activity.info().workflow_id if activity.in_activity() else None
        try:
            with tenant_session(self.engine, tenant_id) as session:
                yield session, TenantContext.system(tenant_id, correlation_id=correlation)
        except final as exc:
            kind = next(cls.__name__ for cls in final if isinstance(exc, cls))
            raise ApplicationError(exc.message, type=kind, non_retryable=True) from exc


def _methods(cls: type) -> list[str]:
    return [
        name
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if activity._Definition.from_callable(fn) is not None
    ]


def all_activities(deps: Deps) -> list[Callable[..., Any]]:
    """Every activity, bound to its dependencies. YAML definitions call them by their registered names."""
    from activities.audit import AuditActivities
    from activities.bookings import BookingActivities
    from activities.calendars import CalendarActivities
    from activities.campaigns import CampaignActivities
    from activities.decisions import DecisionActivities
    from activities.definitions import DefinitionActivities
    from activities.documents import DocumentActivities
    from activities.housekeeping import HousekeepingActivities
    from activities.imports import ImportActivities
    from activities.invoices import InvoiceActivities
    from activities.notifications import NotificationActivities
    from activities.outbox import OutboxActivities
    from activities.report_subscriptions import ReportSubscriptionActivities
    from activities.reports import ReportActivities
    from activities.search import SearchActivities
    from activities.signing import SigningActivities
    from activities.subscriptions import SubscriptionActivities
    from activities.webhooks import WebhookActivities

    instances: list[object] = []
    for cls in (
        DefinitionActivities,
        DecisionActivities,
        NotificationActivities,
        CampaignActivities,
        OutboxActivities,
        WebhookActivities,
        ImportActivities,
        SearchActivities,
        BookingActivities,
        CalendarActivities,
        DocumentActivities,
        SigningActivities,
        InvoiceActivities,
        SubscriptionActivities,
        HousekeepingActivities,
        AuditActivities,
        ReportActivities,
        ReportSubscriptionActivities,
    ):
        instances.append(cls(deps))
    return [getattr(obj, name) for obj in instances for name in _methods(type(obj))]


def activity_names() -> frozenset[str]:
    """The names a definition's ``call`` may use (no engine needed)."""
    from activities.definitions import DefinitionActivities

    names = set()
    for name in _methods(DefinitionActivities):
        defn = activity._Definition.from_callable(getattr(DefinitionActivities, name))
        if defn is not None and defn.name:
            names.add(defn.name)
    return frozenset(names)
