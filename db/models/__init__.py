"""All ORM models, in one package so relationships never import in a cycle."""

from db.models.audit import AuditLog
from db.models.definitions import ProcessDefinition
from db.models.events import OutboxEvent
from db.models.idempotency import IdempotencyRecord
from db.models.identity import ApiKey, Role, Tenant, User, UserRole
from db.models.notifications import (
    Campaign,
    Delivery,
    DeliveryMessage,
    DevOutboxMessage,
    Notification,
    NotificationPreference,
    NotificationTemplate,
    ProviderEvent,
    Suppression,
)
from db.models.processes import Process, SlaBreach, Task
from db.models.webhooks import Webhook, WebhookDelivery

TENANT_OWNED_TABLES = [
    "users",
    "roles",
    "user_roles",
    "api_keys",
    "audit_log",
    "idempotency_records",
    "notifications",
    "processes",
    "tasks",
    "sla_breaches",
    "process_definitions",
    "outbox_events",
    "notification_templates",
    "notification_preferences",
    "deliveries",
    "delivery_messages",
    "suppressions",
    "provider_events",
    "campaigns",
    "dev_outbox",
    "webhooks",
    "webhook_deliveries",
]

__all__ = [
    "TENANT_OWNED_TABLES",
    "ApiKey",
    "AuditLog",
    "Campaign",
    "Delivery",
    "DeliveryMessage",
    "DevOutboxMessage",
    "IdempotencyRecord",
    "Notification",
    "NotificationPreference",
    "NotificationTemplate",
    "OutboxEvent",
    "Process",
    "ProcessDefinition",
    "ProviderEvent",
    "Role",
    "SlaBreach",
    "Suppression",
    "Task",
    "Tenant",
    "User",
    "UserRole",
    "Webhook",
    "WebhookDelivery",
]
