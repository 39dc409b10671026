"""What the deployment tests (docker-compose.yml, deploy/k8s) check alike: settings names, the
Dockerfile's final stage, secrets written into a file, and Keel's Temporal search attributes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from keel.settings import Settings
from keel.temporal import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"

# An environment name that holds a secret.
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PWD|API_KEY|TOKEN)$")
# user:password@ in a connection URL.
URL_CREDENTIALS = re.compile(r"://(?P<user>[^:/@]+):(?P<password>\$\{[^}]*\}|[^@]*)@")


def unknown_settings(names: Iterable[str]) -> list[str]:
    """The KEEL_* names among ``names`` that are not fields of keel.settings.Settings."""
    return sorted(
        name
        for name in names
        if name.startswith("KEEL_") and name.removeprefix("KEEL_").lower() not in Settings.model_fields
    )


def unregistered_search_attributes(script: str) -> list[str]:
    """Keel's search attributes that a registration script does not create with their type."""
    missing = []
    for key in SEARCH_ATTRIBUTES:
        kind = "KeywordList" if key.indexed_value_type.name == "KEYWORD_LIST" else "Keyword"
        if not re.search(rf"\b{key.name}:{kind}\b", script):
            missing.append(f"{key.name}:{kind}")
    return missing


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def final_stage(instructions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def image_user() -> tuple[str, str]:
    """The user and group the image runs as (its last USER line)."""
    users = [arguments for keyword, arguments in final_stage(dockerfile_instructions()) if keyword == "USER"]
    assert users, "the final stage has no USER line"
    user, _, group = users[-1].partition(":")
    return user, group
