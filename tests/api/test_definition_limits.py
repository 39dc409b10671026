"""Hostile definitions through REST: each is refused quickly, with the limit named, and nothing is published."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.api.conftest import Api, data, error_of

YAML = {"content-type": "application/yaml"}


def named(body: str) -> tuple[str, str]:
    name = f"hostile-{uuid.uuid4().hex[:6]}"
    return name, f"name: {name}\nversion: 1\n" + body


def alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    return "\n".join(lines) + "\nsteps: [{id: s, type: end}]\n"


def many_nodes() -> str:
    return "description: [" + "1," * 30_000 + "1]\nsteps: [{id: s, type: end}]\n"  # under the body limit


def deep_expression() -> str:
    return "steps:\n  - {id: s, type: set, vars: {x: '{{ input.a" + "|default(1)" * 150 + " }}'}}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (alias_bomb(), "too large: more than 20000 YAML nodes"),
        (many_nodes(), "too large: more than 20000 YAML nodes"),
        ("steps:\n" + "".join(f"  - {{id: s{i}, type: end}}\n" for i in range(400)), "too many steps: 400"),
        (deep_expression(), "an expression nested more than 24 levels deep"),
    ],
)
def test_hostile_definitions_are_refused_quickly(admin: Api, body: str, message: str) -> None:
    name, source = named(body)
    for path in ("/api/v1/definitions/validate", "/api/v1/definitions"):
        started = time.monotonic()
        error = error_of(admin.post(path, content=source, headers=YAML), 422, "validation_failed")
        assert time.monotonic() - started < 3.0
        assert any(f["message"].startswith(message) for f in error["details"]["fields"]), error
    assert name not in {d["name"] for d in data(admin.get("/api/v1/definitions"))}


def test_ten_megabytes_is_refused_before_it_is_read(admin: Api) -> None:
    name, source = named("steps: [{id: s, type: end}]\n# " + "x" * 10_000_000 + "\n")
    error_of(admin.post("/api/v1/definitions", content=source, headers=YAML), 413, "payload_too_large")
    assert name not in {d["name"] for d in data(admin.get("/api/v1/definitions"))}
