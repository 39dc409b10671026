"""Names in the OpenAPI document that client generators turn into method and class names.

Operation ids: the route function's name (``start_process``, ``complete_task``, ``create_entity``);
a name that several operations share is prefixed with each one's tag in snake case
(``definitions_publish``, ``decisions_publish``, ``metrics_publish``). Generators group operations by
tag, so ``keel_client.api.processes.start_process`` reads as it is meant.

Component names: pydantic names a model by its class name, and where two models share one (both
``DeliveryOut``s) it falls back to the module path (``domain__webhooks__schemas__DeliveryOut``) and
numbers the envelopes around them; a generator then confuses or drops them. ``COMPONENT_NAMES`` gives
each such model a name of its own, here rather than by renaming classes across the domain, and
``problems`` (run by the tests) reports any module path or numbered name left, so that a new clash is
named here before it ships.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

# module path of the class (as pydantic spells it in a clash) -> the component's name
COMPONENT_NAMES = {
    "api.routers.decisions.Evaluation": "DecisionEvaluation",
    "domain.analytics.alerts.schemas.Evaluation": "AlertEvaluation",
    "api.routers.definitions.Validation": "DefinitionValidation",
    "domain.analytics.schemas.Validation": "MetricValidation",
    "domain.decisions.service.Validation": "DecisionValidation",
    "domain.analytics.schemas.MetricOut": "MetricOut",
    "domain.billing.usage.schemas.MetricOut": "BillableMetricOut",
    "domain.analytics.schemas.ReportOut": "ReportOut",
    "domain.billing.reports.schemas.ReportOut": "BillingReportOut",
    "domain.analytics.subscriptions.schemas.SubscriptionIn": "ReportSubscriptionIn",
    "domain.analytics.subscriptions.schemas.SubscriptionOut": "ReportSubscriptionOut",
    "domain.analytics.subscriptions.schemas.SubscriptionPatch": "ReportSubscriptionPatch",
    "domain.billing.subscriptions.schemas.SubscriptionIn": "SubscriptionIn",
    "domain.billing.subscriptions.schemas.SubscriptionOut": "SubscriptionOut",
    "domain.billing.subscriptions.schemas.SubscriptionPatch": "SubscriptionPatch",
    "domain.audit.schemas.AuditEntryOut": "AuditEntryOut",
    "domain.signing.schemas.AuditEntryOut": "SigningAuditEntryOut",
    "domain.billing.catalog.prices.UsageOut": "PriceUsageOut",
    "domain.billing.subscriptions.schemas.UsageOut": "SubscriptionUsageOut",
    "domain.billing.usage.schemas.UsageOut": "MetricUsageOut",
    "domain.billing.catalog.schemas.EntityLink": "CatalogEntityLink",
    "domain.documents.schemas.EntityLink": "DocumentEntityLink",
    "domain.billing.quotes.schemas.DeclineIn": "QuoteDeclineIn",
    "domain.signing.schemas.DeclineIn": "SigningDeclineIn",
    "domain.billing.subscriptions.schemas.CancelIn": "SubscriptionCancelIn",
    "domain.scheduling.bookings.schemas.CancelIn": "BookingCancelIn",
    "domain.deliveries.schemas.DeliveryOut": "NotificationDeliveryOut",
    "domain.webhooks.schemas.DeliveryOut": "WebhookDeliveryOut",
    "domain.documents.operation_schemas.MergeIn": "DocumentMergeIn",
    "domain.entities.relation_schemas.MergeIn": "RecordMergeIn",
    "domain.documents.schemas.PreviewIn": "DocumentPreviewIn",
    "domain.notifications.schemas.PreviewIn": "NotificationPreviewIn",
    "domain.notifications.schemas.PreferencesIn": "NotificationPreferencesIn",
    "domain.scheduling.slot_search.schemas.PreferencesIn": "SlotPreferencesIn",
}

_MODULE_PATH = re.compile(r"^(?:api|domain|web|db|keel)__")
_NUMBERED = re.compile(r"__\d+$")
_REF = "#/components/schemas/"


def snake(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def operation_ids(operations: Iterable[tuple[str, str]]) -> list[str]:
    """The operation id of each ``(tag, route name)``, in order: the name, or ``<tag>_<name>`` where
    several operations share the name."""
    pairs = list(operations)
    shared = Counter(name for _tag, name in pairs)
    return [name if shared[name] == 1 else f"{snake(tag)}_{name}" for tag, name in pairs]


def _envelope_name(schema: dict[str, Any]) -> str | None:
    """Pydantic's own name for ``Envelope[X]`` or ``Envelope[list[X]]`` once ``X`` is renamed."""
    data = schema.get("properties", {}).get("data", {})
    if "$ref" in data:
        return f"Envelope_{data['$ref'].removeprefix(_REF)}_"
    items = data.get("items", {}) if data.get("type") == "array" else {}
    if "$ref" in items:
        return f"Envelope_list_{items['$ref'].removeprefix(_REF)}__"
    return None


def _renames(schemas: dict[str, Any]) -> dict[str, str]:
    renames = {}
    for name in schemas:
        dotted = name.replace("__", ".")
        if dotted in COMPONENT_NAMES:
            renames[name] = COMPONENT_NAMES[dotted]
    return renames


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF) and ref.removeprefix(_REF) in renames:
            node["$ref"] = _REF + renames[ref.removeprefix(_REF)]
        for value in node.values():
            _rewrite_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, renames)
    return node


def rename_components(document: dict[str, Any]) -> None:
    """Give clashing models their names from ``COMPONENT_NAMES``, then the envelopes around them the
    names pydantic gives an envelope of a model that clashes with nothing."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    renames = _renames(schemas)
    _rewrite_refs(schemas, renames)
    for name in list(schemas):
        if _MODULE_PATH.match(name) and name not in renames:
            envelope = _envelope_name(schemas[name])
            if envelope is not None and envelope not in schemas:
                renames[name] = envelope
    for name, new in renames.items():  # generators name classes by the title where there is one
        if "title" in schemas[name]:
            schemas[name]["title"] = new
    renamed = {renames.get(name, name): schema for name, schema in schemas.items()}
    if len(renamed) != len(schemas):  # two models given one name: COMPONENT_NAMES must tell them apart
        raise ValueError(f"component names clash after renaming: {sorted(set(renames.values()))}")
    document["components"]["schemas"] = renamed
    _rewrite_refs(document, renames)


def _key(schema: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in schema.items() if k != "title"}, sort_keys=True)


def hoist_definitions(document: dict[str, Any]) -> None:
    """A body that a route declares itself (``api.bodies.json_content``) carries the models it uses
    in ``$defs`` and refers to them by their bare class names, which a clash may have renamed: point
    it at the components that have the same schema, and add those that are not there yet."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    known = {_key(schema): name for name, schema in schemas.items()}
    for item in document["paths"].values():
        for operation in item.values():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                definitions = media.get("schema", {}).pop("$defs", None) or {}
                renames: dict[str, str] = {}
                for _ in range(len(definitions)):  # a definition matches once those it uses are named
                    for name, definition in definitions.items():
                        _rewrite_refs(definition, renames)
                        if name not in renames and _key(definition) in known:
                            renames[name] = known[_key(definition)]
                for name, definition in definitions.items():
                    if name in renames:
                        continue
                    if name in schemas:
                        raise ValueError(f"a body's model {name} clashes with the component of that name")
                    schemas[name] = known[_key(definition)] = definition
                    renames[name] = name
                _rewrite_refs(media, renames)


def problems(document: dict[str, Any]) -> list[str]:
    """What a client generator would stumble on: module paths or clash numbers in component names,
    and operation ids that are missing or shared."""
    found = [
        f"component {name}: a module path or clash number; name it in api.openapi_names.COMPONENT_NAMES"
        for name in document.get("components", {}).get("schemas", {})
        if _MODULE_PATH.match(name) or _NUMBERED.search(name)
    ]
    ids = Counter(
        operation.get("operationId")
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
    )
    found += [f"operation id {key!r} is used {count} times" for key, count in ids.items() if count > 1]
    if None in ids:
        found.append("an operation has no operation id")
    return found
