"""Bodies in the OpenAPI document as client generators need them: every non-JSON body as bytes, every
answer with a schema, and request examples on the operations a new user calls first.

A YAML definition, a CSV or NDJSON import, an iCalendar feed or a PDF is a string of bytes to a
client: ``{"type": "string", "format": "binary"}`` makes generators offer ``bytes``/``Blob`` for it
(text answers such as CSV stay ``{"type": "string"}``, which they read as text). A generator that only
knows JSON, forms and octet streams is told to read the other media types as octet streams
(``clients/python/generator.yaml``); what goes over the wire does not change.
"""

from __future__ import annotations

from typing import Any

from domain.processes.schemas import APPROVAL

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
TEXT: dict[str, Any] = {"type": "string"}
_STRUCTURED = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")

_RESOURCE = "00000000-0000-4000-8000-000000000001"
_DEFINITION_YAML = """\
name: expense-claim
version: 1
input:
  type: object
  required: [amount]
  properties:
    amount: {type: number}
steps:
  - id: review
    type: task
    title: "Review a claim of {{ input.amount }}"
    assignee: role:manager
    outcomes: [approve, reject]
"""

# operation id -> the example of its JSON (or other) request body
EXAMPLES: dict[str, Any] = {
    "start_process": {
        "definition": APPROVAL,
        "business_key": "PO-1",
        "input": {
            "subject": "Laptops",
            "amount": {"value": "1200.00", "currency": "EUR"},
            "chain": [{"assignee": "role:manager", "due": "P2D", "escalate_to": "role:admin"}],
            "on_timeout": "reject",
        },
    },
    "complete_task": {"outcome": "approve", "comment": "within budget"},
    "create_entity": {
        "attributes": {"name": "Ada Lovelace", "email": "ada@example.com"},
        "external_id": "crm-1001",
    },
    "create_type": {
        "name": "customer",
        "label": "Customer",
        "schema": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "email": {"type": "string", "format": "email"}},
        },
        "unique": ["email"],
    },
    "create_resource": {"name": "Room 1", "kind": "room", "timezone": "Europe/Paris", "capacity": 8},
    "create_booking": {
        "resources": [_RESOURCE],
        "start": "2030-01-07T09:00:00+01:00",
        "duration": "PT1H",
        "subject": "Quarterly review",
        "requires_confirmation": False,
    },
    "create_webhook": {
        "url": "https://example.com/keel-hooks",
        "events": ["task.*", "process.completed"],
        "description": "the ERP's listener",
    },
    "definitions_publish": _DEFINITION_YAML,
    "definitions_validate": _DEFINITION_YAML,
    "start_import": "name,email\nAda Lovelace,ada@example.com\n",
}


def _is_structured(media_type: str) -> bool:
    return media_type.startswith(_STRUCTURED) or media_type.split(";")[0].endswith("+json")


def _request_bodies(operation: dict[str, Any]) -> None:
    body = operation.get("requestBody", {})
    contents: dict[str, Any] = body.get("content", {})
    if not body.get("required"):
        # An optional body may be left out: ``X or null`` says no more than ``X`` then, and generators
        # would send a JSON null (or fail to) when the caller gives none.
        for content in contents.values():
            options = content.get("schema", {}).get("anyOf", [])
            if len(options) == 2 and {"type": "null"} in options:
                (content["schema"],) = [o for o in options if o != {"type": "null"}]
    binary = [media_type for media_type in contents if not _is_structured(media_type)]
    for media_type in binary:
        description = contents[media_type].get("schema", {}).get("description")
        contents[media_type]["schema"] = {**BINARY, **({"description": description} if description else {})}
    if len(binary) > 1:
        # Generators send bytes with the last of several binary media types that they match: the
        # route's first (CSV before NDJSON for an import) goes last.
        contents[binary[0]] = contents.pop(binary[0])


def _responses(operation: dict[str, Any]) -> None:
    responses = operation.get("responses", {})
    for status, response in responses.items():
        content = response.get("content")
        if status == "206" and not content:  # a byte range of the 200's content
            response["content"] = {"application/octet-stream": {"schema": BINARY}}
            continue
        for media_type, body in (content or {}).items():
            if _is_structured(media_type) or body.get("schema") not in (None, {}, TEXT):
                continue
            body["schema"] = TEXT if media_type.startswith("text/") else BINARY
    # A publication answers 201 when new and 200 when already published: the same object.
    if "201" in responses and "200" in responses and not responses["200"].get("content"):
        responses["200"]["content"] = responses["201"].get("content", {})


def _example(operation: dict[str, Any]) -> None:
    example = EXAMPLES.get(operation.get("operationId", ""))
    if example is None:
        return
    for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
        if isinstance(example, str) != _is_structured(media_type):
            content["example"] = example
            return


def complete(document: dict[str, Any]) -> None:
    """Binary and text schemas for non-JSON bodies, content for every answer, request examples."""
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                _example(operation)  # on the route's first media type of its kind, before any reordering
                _request_bodies(operation)
                _responses(operation)
