"""The OpenAPI document is fit for client generators, and the committed clients match it.

Built from the app, no server: valid (openapi-spec-validator), with unique readable operation ids and
component names, request examples that its own schemas accept, non-JSON bodies as bytes, and
openapi-python-client generating from it without one warning."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate

from api.openapi_media import EXAMPLES
from api.openapi_names import operation_ids, problems
from cli import clients


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return clients.document()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_the_document_is_valid(document: dict[str, Any]) -> None:
    validate(copy.deepcopy(document))


def test_names_have_no_module_paths_and_ids_are_unique(document: dict[str, Any]) -> None:
    assert problems(document) == []
    ids = {f"{method} {path}": operation["operationId"] for method, path, operation in operations(document)}
    assert ids["POST /api/v1/processes"] == "start_process"
    assert ids["POST /api/v1/tasks/{task_id}/complete"] == "complete_task"
    assert ids["POST /api/v1/entities/{type_name}"] == "create_entity"
    assert ids["GET /api/v1/imports/{import_id}"] == "get_import"
    assert ids["POST /api/v1/definitions"] == "definitions_publish"
    names = document["components"]["schemas"]
    assert {"WebhookDeliveryOut", "NotificationDeliveryOut", "SlotPreferencesIn", "ProcessOutPage"} <= set(
        names
    )
    assert not [name for name in names if "__" in name]


def test_a_shared_route_name_is_prefixed_by_its_tag() -> None:
    pairs = [("definitions", "publish"), ("metrics", "publish"), ("imports", "get_import")]
    pairs += [("calendars", "get_import"), ("entity types", "list_versions"), ("documents", "list_versions")]
    assert operation_ids(pairs) == [
        "definitions_publish",
        "metrics_publish",
        "get_import",
        "calendars_get_import",
        "entity_types_list_versions",
        "documents_list_versions",
    ]


def test_the_main_create_operations_have_examples_their_schemas_accept(document: dict[str, Any]) -> None:
    by_id = {operation["operationId"]: operation for _method, _path, operation in operations(document)}
    for operation_id in (
        "start_process",
        "create_entity",
        "create_booking",
        "create_webhook",
        "complete_task",
    ):
        content = by_id[operation_id]["requestBody"]["content"]["application/json"]
        assert content["example"] == EXAMPLES[operation_id]
    assert set(EXAMPLES) <= set(by_id)
    imports = by_id["start_import"]["requestBody"]["content"]
    assert [media for media, content in imports.items() if "example" in content] == ["text/csv"]
    for operation_id, example in EXAMPLES.items():
        for media_type, content in by_id[operation_id]["requestBody"]["content"].items():
            if "example" not in content:
                continue
            schema = {**content["schema"], "components": document["components"]}
            if media_type == "application/json":
                jsonschema.Draft202012Validator(schema).validate(example)
            else:
                assert isinstance(example, str)


def test_every_answer_has_a_schema_and_non_json_bodies_are_bytes(document: dict[str, Any]) -> None:
    binary = {"type": "string", "format": "binary"}
    for method, path, operation in operations(document):
        for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
            if media_type.split(";")[0] in (
                "application/yaml",
                "text/csv",
                "application/x-ndjson",
                "text/calendar",
            ):
                schema = {k: v for k, v in content["schema"].items() if k != "description"}
                assert schema == binary, (method, path, media_type)
        for status, response in operation["responses"].items():
            if status.startswith("2") and status != "204":
                assert response.get("content"), (method, path, status)
            for media_type, content in response.get("content", {}).items():
                if media_type == "application/json" and status.startswith("2"):  # a shape, not a bare object
                    schema = content["schema"]
                    assert "$ref" in schema or schema.get("type") == "array", (method, path, status)
                if media_type in ("application/pdf", "image/png", "application/octet-stream"):
                    assert content["schema"] == binary, (method, path, status)
                elif media_type != "application/json":
                    assert content["schema"].get("type") == "string", (method, path, status, media_type)


def test_the_python_generator_makes_a_client_without_a_warning(
    document: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "openapi.json"
    path.write_text(clients.dumps(document))
    result = clients.run_generator(path, tmp_path / "keel_client")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output and "WARNING" not in output, output
    generated = tmp_path / "keel_client" / "api"
    assert (generated / "processes" / "start_process.py").exists()
    assert (generated / "search" / "search_type.py").exists()  # dropped while names clashed
    assert (generated / "availability" / "search_availability.py").exists()


def test_the_committed_document_and_python_client_match_the_app() -> None:
    """``make clients`` regenerates them; this fails until it is run after a change to the API."""
    assert clients.drift() == [], "run `make clients` and commit clients/"


def test_keel_openapi_writes_the_document(tmp_path: Path, document: dict[str, Any]) -> None:
    from cli.main import main

    target = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(target)]) == 0
    assert json.loads(target.read_text()) == json.loads(clients.dumps(document))
