"""The Kubernetes manifests in deploy/k8s.

No cluster runs in CI, so these tests read the files: every manifest is valid against the Kubernetes
schemas (kubernetes-validate ships them, so this works offline), the Keel pods are configured only
through settings Keel knows, run the commands, ports and probes that exist, are sized and locked down
as documented, and the Secret holds placeholders only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

from api.routers.health import router as health_router
from cli.main import build_parser
from keel import crypto
from keel.settings import Settings
from tests.deploy_files import (
    ROOT,
    SECRET_NAME,
    URL_CREDENTIALS,
    image_user,
    unknown_settings,
    unregistered_search_attributes,
)

K8S = ROOT / "deploy" / "k8s"
KUSTOMIZATION = K8S / "kustomization.yaml"
# The oldest Kubernetes release the manifests must be valid for (the preStop sleep action is beta,
# on by default, from 1.30).
KUBERNETES_VERSION = "1.30"
KEEL_IMAGE = "keel"
KEEL_COMMANDS = {
    ("Deployment", "keel-api"): "keel api",
    ("Deployment", "keel-worker"): "keel worker",
    ("Job", "keel-migrate"): "keel migrate",
}
RESOURCES = {"requests": {"memory": "256Mi", "cpu": "250m"}, "limits": {"memory": "512Mi", "cpu": "500m"}}
PLACEHOLDER = "REPLACE-ME"
# A run of characters that could be a real key, token or password.
KEY_LIKE = re.compile(r"[A-Za-z0-9+/=_\-]{20,}")
POD_KINDS = {"Deployment", "Job", "StatefulSet", "DaemonSet"}


# -- reading the files ----------------------------------------------------------------------------------
def manifest_files() -> list[Path]:
    return sorted(path for path in K8S.glob("*.yaml") if path != KUSTOMIZATION)


def load_documents(paths: list[Path]) -> list[dict[str, Any]]:
    return [
        document
        for path in paths
        for document in yaml.safe_load_all(path.read_text())
        if document is not None
    ]


DOCUMENTS = load_documents(manifest_files())


def named(kind: str, name: str) -> dict[str, Any]:
    matches = [d for d in DOCUMENTS if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(matches) == 1, f"{kind}/{name}: {len(matches)} manifests"
    return matches[0]


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in DOCUMENTS if d["kind"] == kind]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def workloads() -> Iterator[dict[str, Any]]:
    return (d for d in DOCUMENTS if d["kind"] in POD_KINDS)


def keel_container(workload: dict[str, Any]) -> dict[str, Any]:
    containers = [c for c in pod_spec(workload)["containers"] if c["image"].split(":")[0] == KEEL_IMAGE]
    assert len(containers) == 1, workload["metadata"]["name"]
    return containers[0]


def config() -> dict[str, str]:
    data: dict[str, str] = named("ConfigMap", "keel-config")["data"]
    return data


def secret() -> dict[str, str]:
    data: dict[str, str] = named("Secret", "keel-secrets")["stringData"]
    return data


def container_environment(container: dict[str, Any]) -> dict[str, str]:
    """What a container's environment holds: its envFrom ConfigMaps and Secrets, then its env."""
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(named("ConfigMap", source["configMapRef"]["name"])["data"])
        if "secretRef" in source:
            env.update(named("Secret", source["secretRef"]["name"])["stringData"])
    for item in container.get("env", []):
        ref = item.get("valueFrom", {}).get("configMapKeyRef")
        env[item["name"]] = named("ConfigMap", ref["name"])["data"][ref["key"]] if ref else item["value"]
    return env


def label(document: dict[str, Any]) -> str:
    return f"{document['kind']}/{document['metadata']['name']}"


def assert_valid(document: dict[str, Any]) -> None:
    """Valid against the Kubernetes schemas; strict: a misspelt or misplaced field fails too."""
    try:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        problem = f"{label(document)}: {'.'.join(map(str, error.absolute_path))}: {error.message}"
    else:
        return
    pytest.fail(problem, pytrace=False)  # outside the except: the schema's own traceback is pages long


# -- (a) the manifests are valid Kubernetes -------------------------------------------------------------
def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load(KUSTOMIZATION.read_text())
    assert sorted(kustomization["resources"]) == [path.name for path in manifest_files()]
    assert kustomization["namespace"] == named("Namespace", "keel")["metadata"]["name"]
    assert [image["name"] for image in kustomization["images"]] == [KEEL_IMAGE]


@pytest.mark.parametrize("document", DOCUMENTS, ids=label)
def test_manifest_is_valid_against_the_kubernetes_schema(document: dict[str, Any]) -> None:
    assert_valid(document)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (for its kustomize) is not installed")
def test_kustomize_renders_valid_manifests_in_one_namespace() -> None:
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    documents = [d for d in yaml.safe_load_all(rendered) if d]
    assert len(documents) == len(DOCUMENTS)
    for document in documents:
        assert_valid(document)
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == "keel", label(document)


# -- (b) settings ---------------------------------------------------------------------------------------
def test_every_keel_variable_is_a_settings_field() -> None:
    names = set(config()) | set(secret())
    for workload in workloads():
        for container in pod_spec(workload)["containers"]:
            names |= {item["name"] for item in container.get("env", [])}
            names |= {
                item["valueFrom"]["configMapKeyRef"]["key"]
                for item in container.get("env", [])
                if "configMapKeyRef" in item.get("valueFrom", {})
            }
    assert {name for name in names if name.startswith("KEEL_")} >= {"KEEL_DATABASE_URL", "KEEL_JWT_SECRET"}
    assert not unknown_settings(names), f"not fields of keel.settings.Settings: {unknown_settings(names)}"


@pytest.mark.parametrize("kind_name", sorted(KEEL_COMMANDS), ids="/".join)
def test_keel_pods_load_production_settings(
    kind_name: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Exactly the pod's environment, with a stand-in for each placeholder.
    for name in [name for name in os.environ if name.startswith("KEEL_")]:
        monkeypatch.delenv(name)
    env = container_environment(keel_container(named(*kind_name)))
    for name, value in env.items():
        monkeypatch.setenv(name, value.replace(PLACEHOLDER, "stand-in-" + "0" * 32))
    monkeypatch.setenv("KEEL_HOME", str(tmp_path))  # after the pod's own, which is not writable here

    settings = Settings()

    assert settings.environment == "production"
    assert settings.log_format == "json"
    external = {s["metadata"]["name"] for s in of_kind("Service") if s["spec"]["type"] == "ExternalName"}
    app = urlsplit(settings.require_database_url())
    admin = urlsplit(settings.require_admin_url())
    assert app.username == settings.database_app_role != admin.username
    assert (app.hostname, app.path) == (admin.hostname, admin.path)
    assert settings.typesense_url and settings.redis_url
    hosts = {
        app.hostname,
        settings.require_temporal_address().rpartition(":")[0],
        urlsplit(settings.typesense_url).hostname,
        urlsplit(settings.redis_url).hostname,
    }
    assert hosts <= external, f"not ExternalName Services: {hosts - external}"
    assert settings.cache_backend == "redis"
    assert len(settings.require_jwt_secret()) >= 32


def test_placeholder_secrets_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # An unedited Secret must not pass for a real one: no placeholder is a usable key.
    for name in ("KEEL_JWT_SECRET", "KEEL_SECRETS_KEYS"):
        monkeypatch.setenv(name, secret()[name])
    monkeypatch.setenv("KEEL_ENVIRONMENT", "production")
    settings = Settings()
    with pytest.raises(RuntimeError, match="KEEL_JWT_SECRET"):
        settings.require_jwt_secret()
    with pytest.raises(ValueError, match="KEEL_SECRETS_KEYS"):
        crypto.box(settings)


# -- (c) commands, ports, probes and resources ----------------------------------------------------------
@pytest.mark.parametrize("kind_name", sorted(KEEL_COMMANDS), ids="/".join)
def test_keel_pods_run_a_keel_command_with_the_documented_resources(kind_name: tuple[str, str]) -> None:
    container = keel_container(named(*kind_name))
    assert " ".join(container["command"]) == KEEL_COMMANDS[kind_name]
    build_parser().parse_args(container["command"][1:])  # the subcommand exists
    assert container["resources"] == RESOURCES


def test_api_probes_and_service_use_the_api_port() -> None:
    api = named("Deployment", "keel-api")
    container = keel_container(api)
    port = int(container_environment(container)["KEEL_API_PORT"])
    (http,) = container["ports"]
    assert (http["name"], http["containerPort"]) == ("http", port)
    routes = {getattr(route, "path", None) for route in health_router.routes}
    assert {"/healthz", "/readyz"} <= routes
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"

    service = named("Service", "keel-api")
    assert service["spec"]["selector"] == api["spec"]["selector"]["matchLabels"]
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]


def test_worker_serves_only_metrics_and_has_no_probe() -> None:
    # `keel worker` serves no API: only the SDK's metrics port; a probe on it would test the exporter,
    # not the worker (worker.yaml).
    container = keel_container(named("Deployment", "keel-worker"))
    assert [p["containerPort"] for p in container["ports"]] == [9464]
    assert not {"livenessProbe", "readinessProbe", "startupProbe"} & set(container)
    assert pod_spec(named("Deployment", "keel-worker"))["terminationGracePeriodSeconds"] >= 60


@pytest.mark.parametrize("name", ["keel-api", "keel-worker"])
def test_pods_are_killed_only_after_the_shutdown_grace(name: str) -> None:
    # SIGTERM drains for KEEL_SHUTDOWN_GRACE_SECONDS after any preStop sleep; the kubelet's kill
    # must come later, or in-flight requests and running activities are cut short.
    deployment = named("Deployment", name)
    container = keel_container(deployment)
    grace = Settings(
        shutdown_grace_seconds=container_environment(container)["KEEL_SHUTDOWN_GRACE_SECONDS"]
    ).shutdown_grace_seconds
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    assert pod_spec(deployment)["terminationGracePeriodSeconds"] > pre_stop + grace


# -- (d) pod security -----------------------------------------------------------------------------------
@pytest.mark.parametrize("workload", list(workloads()), ids=label)
def test_pods_run_locked_down(workload: dict[str, Any]) -> None:
    spec = pod_spec(workload)
    security = spec["securityContext"]
    assert security["runAsNonRoot"] is True
    assert security["runAsUser"] != 0
    assert security["seccompProfile"] == {"type": "RuntimeDefault"}
    assert spec["automountServiceAccountToken"] is False
    # Service links would set KEEL_API_PORT=tcp://… from the keel-api Service.
    assert spec["enableServiceLinks"] is False
    emptydirs = {volume["name"] for volume in spec.get("volumes", []) if "emptyDir" in volume}
    for container in spec["containers"]:
        assert container["securityContext"] == {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "capabilities": {"drop": ["ALL"]},
        }
        # The root filesystem is read-only: what is written goes to emptyDirs.
        mounts = {mount["mountPath"]: mount["name"] for mount in container.get("volumeMounts", [])}
        assert mounts.get("/tmp") in emptydirs
        if container["image"].split(":")[0] == KEEL_IMAGE:
            assert mounts.get(container_environment(container)["KEEL_HOME"]) in emptydirs
            assert (str(security["runAsUser"]), str(security["runAsGroup"])) == image_user()


def test_namespace_enforces_the_restricted_pod_security_standard() -> None:
    labels = named("Namespace", "keel")["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


# -- (e) scaling and disruption -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["keel-api", "keel-worker"])
def test_autoscaler_and_disruption_budget_cover_the_deployment(name: str) -> None:
    deployment = named("Deployment", name)
    hpa = named("HorizontalPodAutoscaler", name)
    pdb = named("PodDisruptionBudget", name)
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert pdb["spec"]["selector"] == deployment["spec"]["selector"]
    # A drain can always evict one pod: the budget stays below the autoscaler's floor.
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    assert deployment["spec"]["replicas"] >= hpa["spec"]["minReplicas"]


# -- (f) network ----------------------------------------------------------------------------------------
def policies_for(labels: dict[str, str]) -> list[dict[str, Any]]:
    return [
        policy
        for policy in of_kind("NetworkPolicy")
        if policy["spec"]["podSelector"]["matchLabels"].items() <= labels.items()
    ]


def ingress_ports(labels: dict[str, str]) -> set[int]:
    policies = [p for p in policies_for(labels) if "Ingress" in p["spec"]["policyTypes"]]
    assert policies, f"no ingress policy selects {labels}"
    return {port["port"] for p in policies for rule in p["spec"].get("ingress", []) for port in rule["ports"]}


def test_only_the_api_port_and_the_workers_metrics_accept_connections() -> None:
    opened = {"keel-api": {8000}, "keel-worker": {9464}}
    for workload in workloads():
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert ingress_ports(labels) == opened.get(workload["metadata"]["name"], set()), label(workload)
    worker = named("Deployment", "keel-worker")["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in worker.get("env", [])}
    assert env["KEEL_WORKER_METRICS_ADDRESS"].endswith(":9464")
    assert "KEEL_METRICS_TOKEN" in secret()


def test_egress_reaches_exactly_the_services_keel_uses() -> None:
    labels = named("Deployment", "keel-worker")["spec"]["template"]["metadata"]["labels"]
    ports = {
        port["port"]
        for policy in policies_for(labels)
        if "Egress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"]["egress"]
        for port in rule["ports"]
    }
    # DNS, PostgreSQL, Temporal, Typesense, Redis, HTTPS and SMTP (with STARTTLS and implicit TLS).
    assert ports == {53, 5432, 7233, 8108, 6379, 443, 25, 465, 587}
    assert int(config()["KEEL_SMTP_PORT"]) in ports
    assert int(config()["KEEL_TEMPORAL_ADDRESS"].rpartition(":")[2]) in ports


# -- (g) secrets ----------------------------------------------------------------------------------------
def test_secret_holds_placeholders_only() -> None:
    document = named("Secret", "keel-secrets")
    assert "data" not in document, "base64 data hides what is in it: use stringData placeholders"
    for name, value in secret().items():
        assert PLACEHOLDER in value, f"{name} is not a placeholder"
        rest = value.replace(PLACEHOLDER, "")
        assert not KEY_LIKE.search(rest), f"{name} holds something key-like: {rest!r}"
        for credentials in URL_CREDENTIALS.finditer(value):
            assert credentials["password"] == PLACEHOLDER, name


def test_secrets_are_in_the_secret_not_the_configmap() -> None:
    for name, value in config().items():
        assert not SECRET_NAME.search(name), f"{name} belongs in keel-secrets"
        assert not URL_CREDENTIALS.search(value), f"{name} carries credentials"
    for name in ("KEEL_DATABASE_URL", "KEEL_DATABASE_ADMIN_URL", "KEEL_REDIS_URL"):
        assert name in secret()
    assert {name for name in secret() if SECRET_NAME.search(name)} >= {
        "KEEL_JWT_SECRET",
        "KEEL_TYPESENSE_API_KEY",
        "KEEL_SMTP_PASSWORD",
    }


# -- (h) Temporal -----------------------------------------------------------------------------------------
def test_search_attributes_job_registers_keels_attributes() -> None:
    (container,) = pod_spec(named("Job", "keel-search-attributes"))["containers"]
    assert container["image"].startswith("temporalio/admin-tools:")
    script = "\n".join(container["args"])
    assert "temporal operator search-attribute create" in script
    assert not unregistered_search_attributes(script)
    env = container_environment(container)
    assert env["TEMPORAL_ADDRESS"] == config()["KEEL_TEMPORAL_ADDRESS"]
    assert env["NAMESPACE"] == config()["KEEL_TEMPORAL_NAMESPACE"]
