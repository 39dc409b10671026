"""The permission catalogue. Roles hold a subset; ``*`` means every permission (admins)."""

from __future__ import annotations

PERMISSIONS: dict[str, str] = {
    "users:read": "list and read users",
    "users:write": "create and change users",
    "roles:read": "list and read roles",
    "roles:write": "create and change roles",
    "api_keys:write": "create API keys",
    "audit:read": "read the audit trail",
    "definitions:read": "list and read process definitions",
    "definitions:write": "publish process definitions",
    "events:read": "list the tenant's domain events",
    "events:write": "send events to waiting processes",
    "notifications:send": "send notifications to users, email addresses and phone numbers",
    "notifications:read": "read the delivery status of the tenant's notifications",
    "notification_templates:read": "list and read notification templates",
    "notification_templates:write": "create and change notification templates",
    "campaigns:read": "list and read campaigns and their progress",
    "campaigns:write": "start and cancel campaigns",
    "webhooks:read": "list webhook subscriptions and their deliveries",
    "webhooks:write": "create, delete and replay webhook subscriptions and deliveries",
    "entity_types:read": "list and read entity types and relation types",
    "entity_types:write": "define and change entity types and relation types",
    "entities:read": "list, read, search and export records",
    "entities:write": "create, change, delete, merge, relate and import records",
    "search_analytics:read": "read search analytics (top and zero-result queries, click-through)",
    "processes:read": "list and read processes",
    "processes:start": "start processes",
    "processes:cancel": "cancel processes",
    "tasks:read": "list and read tasks assigned to you or your roles",
    "tasks:read_all": "list every task of the tenant",
    "tasks:complete": "complete tasks assigned to you or your roles",
}
ALL = "*"
MEMBER_DEFAULT = [
    "definitions:read",
    "entity_types:read",
    "entities:read",
    "entities:write",
    "events:write",
    "notification_templates:read",
    "processes:read",
    "processes:start",
    "tasks:read",
    "tasks:complete",
]
