"""The production-shaped stack: docker-compose.yml, the Dockerfile and the PostgreSQL init script.

No Docker engine runs in CI, so these tests read the files. They check that the Keel services are
configured only through settings Keel knows, that no secret is written into the compose file, that
the names used by the init script, the connection URLs and Temporal agree, and that the image is
built and run the way the services expect.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from keel.settings import Settings
from tests.deploy_files import (
    DOCKERFILE,
    ROOT,
    SECRET_NAME,
    URL_CREDENTIALS,
    dockerfile_instructions,
    final_stage,
    image_user,
    unknown_settings,
    unregistered_search_attributes,
)

COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERIGNORE = ROOT / ".dockerignore"
POSTGRES_INIT = ROOT / "deploy" / "postgres-init.sh"

STACK = {"postgres", "temporal", "temporal-ui", "typesense", "redis", "migrate", "api", "worker"}
KEEL_COMMANDS = {"migrate": "keel migrate", "api": "keel api", "worker": "keel worker"}
# What a running Keel process cannot do without.
RUNTIME_SETTINGS = {
    "KEEL_DATABASE_URL",
    "KEEL_DATABASE_ADMIN_URL",
    "KEEL_TEMPORAL_ADDRESS",
    "KEEL_TYPESENSE_URL",
    "KEEL_TYPESENSE_API_KEY",
    "KEEL_JWT_SECRET",
    "KEEL_REDIS_URL",
}
# `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:?message}`, `${NAME?message}`.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
# A required variable: Compose refuses to start while it is unset. A default (`:-`) would be a
# hard-coded secret, so it does not count.
REQUIRED_VARIABLE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*:?\?[^}]*\}")
# A secret passed as a command-line flag (`--api-key=...`), with its whole value.
SECRET_FLAG = re.compile(r"--[\w-]*(?:key|secret|pass)[\w-]*[= ](\$\{[^}]*\}|\S+)")


# -- reading the files ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    # safe_load resolves the anchors and `<<:` merge keys, so each service is seen as Compose sees it.
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping, whether written as a mapping or as KEY=VALUE items."""
    env = service.get("environment") or {}
    if isinstance(env, dict):
        return {str(name): "" if value is None else str(value) for name, value in env.items()}
    pairs: dict[str, str] = {}
    for item in env:
        name, _, value = str(item).partition("=")
        pairs[name] = value
    return pairs


def command(service: dict[str, Any]) -> str:
    cmd = service.get("command") or ""
    return " ".join(map(str, cmd)) if isinstance(cmd, list) else str(cmd)


def variable_of(value: str) -> str:
    """The name of the variable a `${NAME...}` value interpolates."""
    match = INTERPOLATION.fullmatch(value)
    assert match, f"{value!r} is not a single ${{...}} interpolation"
    return match["name"]


def interpolate(value: str) -> str:
    """Compose's substitution with defaults, and a stand-in for each required variable."""

    def substitute(match: re.Match[str]) -> str:
        if match["op"] in (":-", "-"):
            return match["arg"]
        return f"stand-in-{match['name'].lower().replace('_', '-')}-" + "0" * 32

    return INTERPOLATION.sub(substitute, value).replace("$$", "$")


# -- (a) the stack ------------------------------------------------------------------------------------
def test_compose_defines_the_whole_stack(services: dict[str, dict[str, Any]]) -> None:
    assert set(services) >= STACK
    for name in STACK:
        assert services[name].get("image"), f"{name} names no image"
    assert services["postgres"]["image"] == "postgres:16"
    assert services["typesense"]["image"] == "typesense/typesense:0.24.1"
    assert services["redis"]["image"].startswith("redis:")
    assert services["temporal"]["image"].startswith("temporalio/auto-setup:")
    assert services["temporal-ui"]["image"].startswith("temporalio/ui:")
    assert environment(services["temporal-ui"])["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert any(str(port).endswith("8233:8080") for port in services["temporal-ui"]["ports"])
    assert "8000:8000" in [str(port) for port in services["api"]["ports"]]
    assert "test" in services["postgres"]["healthcheck"]
    assert "test" in services["redis"]["healthcheck"]


def test_two_workers_share_one_redis_cache(services: dict[str, dict[str, Any]]) -> None:
    # More than one process: the workers are replicas of one service, and every Keel process reads
    # and invalidates one cache, in the Redis that requires the password its URL carries.
    assert services["worker"]["deploy"]["replicas"] >= 2
    env = environment(services["api"])
    assert env["KEEL_CACHE_BACKEND"] == "redis"
    url = URL_CREDENTIALS.search(env["KEEL_REDIS_URL"])
    assert url
    requirepass = command(services["redis"]).split("--requirepass ", 1)[1]
    assert variable_of(url["password"]) == variable_of(requirepass)
    assert urlsplit(interpolate(env["KEEL_REDIS_URL"])).hostname == "redis"


@pytest.mark.parametrize("name", ["api", "worker"])
def test_services_are_killed_only_after_the_shutdown_grace(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    # SIGTERM drains for KEEL_SHUTDOWN_GRACE_SECONDS; Compose's kill must come later.
    grace = int(interpolate(environment(services[name])["KEEL_SHUTDOWN_GRACE_SECONDS"]))
    period = re.fullmatch(r"(\d+)s", services[name]["stop_grace_period"])
    assert period and int(period[1]) > grace


def test_temporal_persists_in_its_own_postgres_databases(services: dict[str, dict[str, Any]]) -> None:
    temporal = environment(services["temporal"])
    keel_database = urlsplit(interpolate(environment(services["api"])["KEEL_DATABASE_URL"])).path.lstrip("/")
    assert temporal["DB"] == "postgres12"
    assert temporal["POSTGRES_SEEDS"] == "postgres"
    assert keel_database not in {temporal["DBNAME"], temporal["VISIBILITY_DBNAME"]}
    assert temporal["DBNAME"] != temporal["VISIBILITY_DBNAME"]
    assert services["temporal"]["depends_on"]["postgres"]["condition"] == "service_healthy"


# -- (b) settings -------------------------------------------------------------------------------------
def test_every_keel_variable_is_a_settings_field(services: dict[str, dict[str, Any]]) -> None:
    used = {
        (service, name)
        for service, definition in services.items()
        for name in environment(definition)
        if name.startswith("KEEL_")
    }
    assert {service for service, _ in used} >= set(KEEL_COMMANDS)
    unknown = sorted(f"{service}: {name}" for service, name in used if unknown_settings([name]))
    assert not unknown, f"not fields of keel.settings.Settings: {unknown}"


@pytest.mark.parametrize("service", ["api", "worker"])
def test_runtime_services_get_their_connection_settings(
    services: dict[str, dict[str, Any]], service: str
) -> None:
    env = environment(services[service])
    missing = RUNTIME_SETTINGS - {name for name, value in env.items() if value}
    assert not missing, f"{service} lacks {sorted(missing)}"


def test_keel_services_share_one_environment(services: dict[str, dict[str, Any]]) -> None:
    migrate, api, worker = (environment(services[name]) for name in KEEL_COMMANDS)
    assert migrate == api == worker
    assert api["KEEL_ENVIRONMENT"] == "production"
    assert api["KEEL_LOG_FORMAT"] == "json"


@pytest.mark.parametrize("service", sorted(KEEL_COMMANDS))
def test_environment_loads_into_production_settings(
    services: dict[str, dict[str, Any]], service: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Exactly the service's environment: nothing inherited, and no runtime.json from a `keel up`.
    for name in [name for name in os.environ if name.startswith("KEEL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("KEEL_HOME", str(tmp_path))
    for name, value in environment(services[service]).items():
        monkeypatch.setenv(name, interpolate(value))

    settings = Settings()

    assert settings.environment == "production"
    assert settings.log_format == "json"
    assert settings.require_temporal_address() == "temporal:7233"
    assert settings.typesense_url == "http://typesense:8108"
    assert settings.typesense_api_key is not None
    assert settings.cache_backend == "redis"
    assert settings.redis_url and urlsplit(settings.redis_url).hostname == "redis"
    assert len(settings.require_jwt_secret()) >= 32
    app = urlsplit(settings.require_database_url())
    admin = urlsplit(settings.require_admin_url())
    # The services connect as the RLS-bound application role; migrations run as the owner.
    assert app.username == settings.database_app_role
    assert admin.username != settings.database_app_role
    assert (app.hostname, app.path) == (admin.hostname, admin.path) == ("postgres", "/keel")


# -- (c) secrets ----------------------------------------------------------------------------------------
def test_no_secret_is_hard_coded(services: dict[str, dict[str, Any]]) -> None:
    checked: set[str] = set()
    for service, definition in services.items():
        for name, value in environment(definition).items():
            if SECRET_NAME.search(name):
                assert REQUIRED_VARIABLE.fullmatch(value), f"{service}: {name} is not ${{VAR:?...}}"
                checked.add(name)
            for credentials in URL_CREDENTIALS.finditer(value):
                assert REQUIRED_VARIABLE.fullmatch(credentials["password"]), (
                    f"{service}: {name} embeds a password"
                )
                checked.add(name)
        for flag in SECRET_FLAG.findall(command(definition)):
            assert REQUIRED_VARIABLE.fullmatch(flag), f"{service}: a secret on its command line is hard-coded"
            checked.add(f"{service} command")
    assert checked >= {
        "KEEL_JWT_SECRET",
        "KEEL_TYPESENSE_API_KEY",
        "KEEL_DATABASE_URL",
        "KEEL_DATABASE_ADMIN_URL",
        "POSTGRES_PASSWORD",
        "POSTGRES_PWD",
        "KEEL_REDIS_URL",
        "REDIS_PASSWORD",
        "typesense command",
        "redis command",
    }


def test_no_secret_variable_has_a_default() -> None:
    # Defaults are fine for names and URLs, never for a secret: `${KEEL_JWT_SECRET:-x}` would ship x.
    for match in INTERPOLATION.finditer(COMPOSE_FILE.read_text()):
        if SECRET_NAME.search(match["name"]):
            assert match["op"] in (":?", "?"), f"${{{match['name']}}} must be required (:?)"


# -- the database roles, the init script and Temporal agree -----------------------------------------------
def test_database_roles_match_the_init_script(services: dict[str, dict[str, Any]]) -> None:
    postgres = environment(services["postgres"])
    temporal = environment(services["temporal"])
    keel = environment(services["api"])
    app = URL_CREDENTIALS.search(keel["KEEL_DATABASE_URL"])
    owner = URL_CREDENTIALS.search(keel["KEEL_DATABASE_ADMIN_URL"])
    assert app and owner

    assert postgres["APP_DB_ROLE"] == keel["KEEL_DATABASE_APP_ROLE"] == app["user"]
    assert postgres["APP_DB_OWNER"] == owner["user"]
    assert urlsplit(interpolate(keel["KEEL_DATABASE_URL"])).path == f"/{postgres['APP_DB_NAME']}"
    assert variable_of(postgres["APP_DB_ROLE_PASSWORD"]) == variable_of(app["password"])
    assert variable_of(postgres["APP_DB_OWNER_PASSWORD"]) == variable_of(owner["password"])
    assert postgres["TEMPORAL_DB_USER"] == temporal["POSTGRES_USER"]
    assert variable_of(postgres["TEMPORAL_DB_PASSWORD"]) == variable_of(temporal["POSTGRES_PWD"])
    assert postgres["TEMPORAL_DB"] == temporal["DBNAME"]
    assert postgres["TEMPORAL_VISIBILITY_DB"] == temporal["VISIBILITY_DBNAME"]
    # The init script creates Temporal's databases; auto-setup must not try to (no CREATEDB).
    assert temporal["SKIP_DB_CREATE"] == "true"


def test_init_script_is_mounted_and_reads_what_compose_passes(services: dict[str, dict[str, Any]]) -> None:
    mounts = [str(volume) for volume in services["postgres"]["volumes"]]
    assert any(
        mount.startswith("./deploy/postgres-init.sh:/docker-entrypoint-initdb.d/") for mount in mounts
    ), mounts
    assert os.access(POSTGRES_INIT, os.X_OK), "the postgres image sources non-executable scripts instead"
    script = POSTGRES_INIT.read_text()
    passed = {name for name in environment(services["postgres"]) if not name.startswith("POSTGRES_")}
    assert passed
    for name in passed:
        assert f"${name}" in script, f"deploy/postgres-init.sh ignores {name}"


# -- (d) the Keel image and commands -------------------------------------------------------------------
@pytest.mark.parametrize(("service", "expected"), sorted(KEEL_COMMANDS.items()))
def test_keel_services_run_the_image_built_from_the_dockerfile(
    services: dict[str, dict[str, Any]], service: str, expected: str
) -> None:
    definition = services[service]
    build = definition["build"]
    context, dockerfile = (
        (build, "Dockerfile")
        if isinstance(build, str)
        else (build["context"], build.get("dockerfile", "Dockerfile"))
    )
    assert (COMPOSE_FILE.parent / context).resolve() == ROOT
    assert (ROOT / context / dockerfile).resolve() == DOCKERFILE
    assert definition["image"] == services["api"]["image"]
    assert command(definition) == expected


def test_keel_services_start_in_order(services: dict[str, dict[str, Any]]) -> None:
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    for name in ("api", "worker"):
        depends_on = services[name]["depends_on"]
        assert depends_on["migrate"]["condition"] == "service_completed_successfully"
        assert depends_on["temporal"]["condition"] == "service_healthy"
        assert depends_on["temporal-admin-tools"]["condition"] == "service_completed_successfully"
        assert depends_on["redis"]["condition"] == "service_healthy"


def test_keel_search_attributes_are_registered(services: dict[str, dict[str, Any]]) -> None:
    script = command(services["temporal-admin-tools"])
    assert "temporal operator search-attribute create" in script
    assert not unregistered_search_attributes(script)
    # Every `$` meant for the shell is escaped, or Compose would try to interpolate it.
    assert not re.search(r"(?<!\$)\$(?![${])", script)


# -- (e) the Dockerfile ----------------------------------------------------------------------------------
def test_dockerfile_installs_the_project_without_dev_extras() -> None:
    instructions = dockerfile_instructions()
    assert all(
        arguments.split()[0] == "python:3.11-slim" for keyword, arguments in instructions if keyword == "FROM"
    )
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any(re.search(r"\bpip install (?:--?\S+ )*\.(?:\s|$)", run) for run in runs), runs
    assert not any("[dev]" in run or "-e ." in run for run in runs)


def test_dockerfile_runs_keel_api_as_a_non_root_user() -> None:
    stage = final_stage(dockerfile_instructions())
    user, group = image_user()
    assert user not in {"root", "0"} and group not in {"root", "0"}
    cmd = [arguments for keyword, arguments in stage if keyword == "CMD"]
    assert cmd and json.loads(cmd[-1]) == ["keel", "api"]
    env = dict(
        item.partition("=")[::2]
        for keyword, arguments in stage
        if keyword == "ENV"
        for item in shlex.split(arguments)
    )
    assert env["KEEL_API_HOST"] == "0.0.0.0"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    patterns = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    assert {".venv", ".keel", ".git", ".env"} <= patterns
