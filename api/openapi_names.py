"""Names in the OpenAPI document that client generators turn into method and class names.

Operation ids: the route function's name (``start_process``, ``complete_task``, ``create_entity``);
a name that several operations share is prefixed with each one's tag in snake case
(``definitions_publish``, ``decisions_publish``, ``metrics_publish``), except the one whose name says
its own tag (``get_import`` of the imports, ``calendars_get_import``). Generators group operations by
tag, so ``keel_client.api.processes.start_process`` reads as it is meant.

Component names: pydantic names a model by its class name, and where two models share one (both
``DeliveryOut``s) it falls back to the module path (``domain__webhooks__schemas__DeliveryOut``) and
numbers the envelopes around them; a generator then confuses or drops them. ``COMPONENT_NAMES`` gives
each such model a name of its own, here rather than by renaming classes across the domain, and
``problems`` (run by the tests) reports any module path or numbered name left, so that a new clash is
named here before it ships. Envelopes are named after what they carry: ``ProcessOutEnvelope``, and
``ProcessOutPage`` for a list, whose ``meta`` is a ``PageMeta`` (``limit``, ``next_cursor``).
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

PAGE_META: dict[str, Any] = {
    "type": "object",
    "title": "PageMeta",
    "description": "A page of a list: pass next_cursor back as ?cursor= for the next; null on the last page.",
    "properties": {
        "limit": {"type": "integer", "title": "Limit"},
        "next_cursor": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Next Cursor"},
    },
    "additionalProperties": True,
}
_MODULE_PATH = re.compile(r"^(?:api|domain|web|db|keel)__")
_NUMBERED = re.compile(r"__\d+$")
_REF = "#/components/schemas/"


def snake(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _names_its_tag(tag: str, name: str) -> bool:
    noun = snake(tag)
    return noun.removesuffix("s") in name


def operation_ids(operations: Iterable[tuple[str, str]]) -> list[str]:
    """The operation id of each ``(tag, route name)``, in order: the name, or ``<tag>_<name>`` where
    several operations share the name, except for the one whose name says its tag (``get_import`` of
    the imports; ``calendars_get_import``)."""
    pairs = list(operations)
    shared = Counter(name for _tag, name in pairs)
    ids = [
        name if shared[name] == 1 or _names_its_tag(tag, name) else f"{snake(tag)}_{name}"
        for tag, name in pairs
    ]
    still = Counter(ids)
    return [
        f"{snake(tag)}_{name}" if still[id_] > 1 else id_ for (tag, name), id_ in zip(pairs, ids, strict=True)
    ]


def _data_name(data: dict[str, Any]) -> str | None:
    if "$ref" in data:
        return str(data["$ref"]).removeprefix(_REF)
    if data.get("type") == "array":
        item = _data_name(data.get("items", {}))
        return None if item is None else f"{item}List"
    if data.get("type") == "null":
        return "Empty"
    options = data.get("anyOf", [])
    names = [name for name in map(_data_name, options) if name is not None]
    return "Or".join(names) if names and len(names) == len(options) else None


def _envelope_name(schema: dict[str, Any]) -> str | None:
    """``XEnvelope`` for the envelope of ``X``, ``XPage`` for a list of ``X`` (its ``meta`` says how
    to go on), rather than pydantic's ``Envelope_list_X__``."""
    properties = schema.get("properties", {})
    if not {"status", "data", "meta", "timestamp"} <= properties.keys():
        return None
    data = properties["data"]
    if data.get("type") == "array" and "$ref" in data.get("items", {}):
        return f"{_data_name(data['items'])}Page"
    name = _data_name(data)
    return None if name is None else f"{name}Envelope"


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
    # a generator names a model's inline object property <Model><Property>: ``EventTypes.envelope``
    taken = set(schemas) | {
        model + "".join(part.title() for part in prop.split("_"))
        for model, schema in schemas.items()
        for prop in schema.get("properties", {})
    }
    for name, schema in schemas.items():
        if name.startswith("Envelope") or (_MODULE_PATH.match(name) and name not in renames):
            envelope = _envelope_name(schema)
            if envelope in taken:
                envelope = f"EnvelopeOf{envelope.removesuffix('Envelope')}"
            if envelope is not None:
                renames[name] = envelope
                if envelope.endswith("Page"):
                    schema["properties"]["meta"] = {"$ref": _REF + "PageMeta"}
    if any(name.endswith("Page") for name in renames.values()):
        schemas["PageMeta"] = PAGE_META
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
