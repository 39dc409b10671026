"""All ORM models, in one package so relationships never import in a cycle."""

from db.models.audit import AuditLog
from db.models.definitions import ProcessDefinition
from db.models.events import OutboxEvent
from db.models.idempotency import IdempotencyRecord
from db.models.identity import ApiKey, Role, Tenant, User, UserRole
from db.models.notifications import Notification
from db.models.processes import Process, SlaBreach, Task

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
]

__all__ = [
    "TENANT_OWNED_TABLES",
    "ApiKey",
    "AuditLog",
    "IdempotencyRecord",
    "Notification",
    "OutboxEvent",
    "Process",
    "ProcessDefinition",
    "Role",
    "SlaBreach",
    "Task",
    "Tenant",
    "User",
    "UserRole",
]
