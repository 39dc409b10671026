"""Processes with a decide step through REST: published, started, pinned, and refused when the decision
they name is not there, against the Temporal dev server and a real worker."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, data, error_of
from tests.api.test_definitions import YAML, eventually

TABLE = """
name: shipping-tier
version: {version}
hit_policy: first
inputs:
  - {{name: weight, expression: parcel.weight, type: number}}
  - {{name: country, expression: country, type: string}}{extra_input}
outputs:
  - {{name: tier, type: string}}
rules:
  - when: {{weight: "<= 2", country: '"DE","FR"'}}
    then: {{tier: letter}}
  - when: {{weight: "(2..30]"}}
    then: {{tier: {parcel}}}
  - when: {{}}
    then: {{tier: freight}}
"""


def table(version: int = 1, parcel: str = "parcel", extra_input: str = "") -> str:
    return TABLE.format(version=version, parcel=parcel, extra_input=extra_input)


SHIP = """
name: ship
version: {version}
input:
  type: object
  required: [weight, country]
  properties: {{weight: {{type: number}}, country: {{type: string}}}}
steps:
  - {{id: packed, type: wait, signal: packed, correlation: "{{{{ process.business_key }}}}"}}
  - id: tier
    type: decide
    decision: shipping-tier{decision_version}
    context:
      parcel: {{weight: "{{{{ input.weight }}}}"}}
      country: "{{{{ input.country }}}}"
  - id: by_tier
    type: switch
    cases:
      - when: "{{{{ steps.tier.output.tier == 'freight' }}}}"
        steps: [{{id: truck, type: set, vars: {{carrier: truck}}}}]
    default: [{{id: post, type: set, vars: {{carrier: post}}}}]
output: {{tier: "{{{{ steps.tier.output.tier }}}}", carrier: "{{{{ vars.carrier }}}}"}}
"""


def ship(decision_version: int | None = None, version: int = 1) -> str:
    pinned = f"\n    version: {decision_version}" if decision_version else ""
    return SHIP.format(version=version, decision_version=pinned)


def start(admin: Api, key: str, weight: Any, version: int = 1) -> dict[str, Any]:
    body = {
        "definition": "ship",
        "version": version,
        "business_key": key,
        "input": {"weight": weight, "country": "DE"},
    }
    return data(admin.post("/api/v1/processes", json=body), 201)


def release(admin: Api, key: str) -> None:
    """Sends the event the process waits for, once it waits."""
    eventually(
        lambda: data(admin.post("/api/v1/events", json={"name": "packed", "correlation_key": key}), 202)[
            "delivered_to"
        ]
    )


def finished(admin: Api, process: dict[str, Any]) -> dict[str, Any]:
    return eventually(
        lambda: (p := data(admin.get(f"/api/v1/processes/{process['id']}")))["status"] != "running" and p
    )


def test_a_decide_step_runs_and_keeps_the_version_of_its_start(admin):
    data(admin.post("/api/v1/decisions", content=table(1), headers=YAML), 201)
    data(admin.post("/api/v1/definitions", content=ship(), headers=YAML), 201)
    data(admin.post("/api/v1/definitions", content=ship(decision_version=1, version=2), headers=YAML), 201)
    light, heavy = start(admin, "P-1", 1.5), start(admin, "P-2", 12)
    # Version 2 sends parcels by freight: published after those two started, it changes neither.
    data(admin.post("/api/v1/decisions", content=table(2, parcel="freight"), headers=YAML), 201)
    after, named = start(admin, "P-3", 12), start(admin, "P-4", 12, version=2)
    for key in ("P-1", "P-2", "P-3", "P-4"):
        release(admin, key)
    assert finished(admin, light)["result"] == {"tier": "letter", "carrier": "post"}
    assert finished(admin, heavy)["result"] == {"tier": "parcel", "carrier": "post"}
    assert finished(admin, named)["result"] == {"tier": "parcel", "carrier": "post"}  # names version 1
    done = finished(admin, after)
    assert done["result"] == {"tier": "freight", "carrier": "truck"}  # the latest when it started
    timeline = {e["step_id"]: e for e in done["state"]["timeline"]}
    assert timeline["tier"]["type"] == "decide" and timeline["tier"]["status"] == "completed"


def test_a_wrong_context_value_fails_the_process_naming_the_input(admin):
    data(admin.post("/api/v1/decisions", content=table(1), headers=YAML), 201)
    loose = ship().replace("properties: {weight: {type: number}", "properties: {weight: {type: string}")
    data(admin.post("/api/v1/definitions", content=loose, headers=YAML), 201)
    process = start(admin, "P-9", "heavy")
    release(admin, "P-9")
    done = finished(admin, process)
    assert done["status"] == "failed"
    assert done["error"].startswith("ContextInvalid: step 'tier' (decision shipping-tier v1)")
    assert "context.weight" in done["error"]


def pointers(err: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    return [(f["field"], f["message"], f["line"]) for f in err["details"]["fields"]]


def test_an_unknown_decision_or_version_is_refused_at_publish(admin, api, make_tenant):
    refused = error_of(
        admin.post("/api/v1/definitions", content=ship(), headers=YAML), 422, "validation_failed"
    )
    assert pointers(refused) == [("/steps/1/decision", "unknown decision 'shipping-tier'", 12)]
    data(admin.post("/api/v1/decisions", content=table(1), headers=YAML), 201)
    refused = error_of(
        admin.post("/api/v1/definitions/validate", content=ship(decision_version=3), headers=YAML),
        422,
        "validation_failed",
    )
    assert pointers(refused) == [("/steps/1/version", "decision 'shipping-tier' has no version 3", 13)]
    # Another tenant's table is as unknown as a missing one.
    other = api(make_tenant("Other").api_key)
    refused = error_of(
        other.post("/api/v1/definitions", content=ship(), headers=YAML), 422, "validation_failed"
    )
    assert pointers(refused)[0][:2] == ("/steps/1/decision", "unknown decision 'shipping-tier'")
    # A context without a name the table reads.
    lacking = ship().replace('      country: "{{ input.country }}"\n', "")
    refused = error_of(
        admin.post("/api/v1/definitions", content=lacking, headers=YAML), 422, "validation_failed"
    )
    (field, message, _) = pointers(refused)[0]
    assert field == "/steps/1/context"
    assert (
        message == "decision shipping-tier v1 reads 'country' (input 'country'); the context has no 'country'"
    )
    names = {d["name"] for d in data(admin.get("/api/v1/definitions"))}
    assert "ship" not in names
    assert "ship" not in {d["name"] for d in data(other.get("/api/v1/definitions"))}


def test_a_start_is_refused_when_the_latest_table_reads_what_the_step_does_not_give(admin):
    data(admin.post("/api/v1/decisions", content=table(1), headers=YAML), 201)
    data(admin.post("/api/v1/definitions", content=ship(), headers=YAML), 201)
    reads_more = table(2, extra_input="\n  - {name: express, expression: options.express, type: boolean}")
    data(admin.post("/api/v1/decisions", content=reads_more, headers=YAML), 201)
    refused = error_of(
        admin.post("/api/v1/processes", json={"definition": "ship", "input": {"weight": 1, "country": "DE"}}),
        422,
        "validation_failed",
    )
    (field,) = refused["details"]["fields"]
    assert field["field"] == "definition"
    assert "ship version 1, /steps/1/context" in field["message"]
    assert "decision shipping-tier v2 reads 'options'" in field["message"]
    assert data(admin.get("/api/v1/processes", params={"definition": "ship"})) == []
