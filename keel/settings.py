"""The one settings class. Every knob is an environment variable with the prefix ``KEEL_``.

When ``keel up`` runs the embedded stack it writes the connection details it chose to
``<home>/runtime.json``; settings read that file after the environment, so a ``keel`` command in a
second terminal reaches the same services and data.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from keel.rates import Rate, parse_tiers

RUNTIME_FILE = "runtime.json"


def default_home() -> Path:
    return Path(os.environ.get("KEEL_HOME", ".keel")).resolve()


class _RuntimeFileSource(PydanticBaseSettingsSource):
    """Values written by ``keel up`` for the embedded services (lowest priority after defaults)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = default_home() / RUNTIME_FILE
        if not path.is_file():
            return {}
        data: dict[str, Any] = json.loads(path.read_text())
        return {k: v for k, v in data.items() if k in self.settings_cls.model_fields}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KEEL_", extra="ignore")

    home: Path = Path(".keel")
    environment: Literal["development", "production", "test"] = "development"

    # PostgreSQL. ``database_url`` is the least-privilege application role (subject to RLS);
    # ``database_admin_url`` owns the tables and runs migrations and tenant creation.
    database_url: str | None = None
    database_admin_url: str | None = None
    database_app_role: str = "keel_app"
    database_pool_size: int = 10

    # Temporal
    temporal_address: str | None = None
    temporal_namespace: str = "default"
    temporal_task_queue: str = "keel"
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    temporal_ui_url: str | None = None
    # host:port where each worker serves the Temporal SDK's Prometheus metrics (e.g. 127.0.0.1:9464);
    # unset, workers export none.
    worker_metrics_address: str | None = None

    # Typesense
    typesense_url: str | None = None
    typesense_api_key: SecretStr | None = None
    typesense_port: int = 8108
    # Per request: the API answers 503 after this; the index sync retries through Temporal.
    typesense_timeout_seconds: float = 2.0

    # HTTP API
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    public_url: str | None = None
    max_body_bytes: int = 1_048_576
    import_max_bytes: int = 104_857_600  # files uploaded to POST /api/v1/entities/{type}/import
    json_max_depth: int = 48  # deeper request bodies are refused (history, audit and search recurse)
    jwt_secret: SecretStr | None = None
    jwt_ttl_seconds: int = 3600
    dashboard_stream_seconds: int = 3600  # event streams (dashboards, tasks) end then; clients reconnect
    login_attempts_per_minute: int = 10
    # Rate limits, shared by every API process (api/rate_limits.py): per API key or user and per
    # tenant, by the tenant's subscription_tier (``default`` for a tier not listed); per client address
    # on sign-in (/api/v1/auth/) and on the public pages. Rates are N/second|minute|hour|day.
    rate_limits_enabled: bool = True
    rate_limit_tiers: str = "free=1000/hour,standard=10000/hour,enterprise=100000/hour,default=1000/hour"
    rate_limit_tenant_tiers: str = (
        "free=5000/hour,standard=50000/hour,enterprise=500000/hour,default=5000/hour"
    )
    rate_limit_sign_in_per_ip: str = "30/minute"
    rate_limit_public_per_ip: str = "300/minute"
    # Browser origins allowed to call the API (CORS), comma separated; none by default.
    cors_origins: str = ""
    # GET /metrics (Prometheus): with a token, callers send ``Authorization: Bearer <token>``;
    # without one, only loopback clients (127.0.0.1, ::1) get an answer, anyone else a 404.
    metrics_token: SecretStr | None = None

    # Notifications: the adapter per channel. ``outbox`` stores messages in PostgreSQL (viewable at
    # GET /api/v1/dev/outbox when ``dev_outbox_enabled``), so development needs no provider account.
    email_adapter: Literal["outbox", "sendgrid", "smtp"] = "outbox"
    sms_adapter: Literal["outbox", "twilio"] = "outbox"
    push_adapter: Literal["outbox", "http"] = "outbox"
    dev_outbox_enabled: bool = False
    email_from: str = "Keel <no-reply@keel.localhost>"
    sendgrid_api_key: SecretStr | None = None
    sendgrid_api_host: str | None = None  # only to point the SDK at a local peer in tests
    # SendGrid's signed event webhook: the base64 ECDSA public key from the SendGrid settings page.
    sendgrid_webhook_public_key: str | None = None
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    twilio_api_base: str | None = None  # only to point the SDK at a local peer in tests
    # Stripe: without a key, `keel up` and the tests run localstripe and point stripe_api_base at it.
    stripe_api_key: SecretStr | None = None
    stripe_api_base: str | None = None  # None: https://api.stripe.com
    stripe_webhook_secret: SecretStr | None = None  # the endpoint's signing secret (whsec_…)
    stripe_local_port: int = 8420  # localstripe, started by `keel up` when no key is set
    # The payment page's Stripe.js: localstripe accepts any pk_ key and serves its own Stripe.js.
    stripe_publishable_key: str = "pk_test_localstripe"
    # Categories nobody can opt out of (comma separated).
    critical_categories: str = "security"
    notification_max_attempts: int = 5

    # Webhooks. Destinations resolving to private, loopback or link-local addresses are refused
    # unless one of these comma-separated networks (CIDR) or host names allows them.
    webhook_allow_private: str = ""
    webhook_timeout_seconds: float = 10.0
    # The Standard Webhooks retry schedule: delays before each attempt (ISO 8601 or 5s/5m/2h).
    webhook_retry_schedule: str = "0s,5s,5m,30m,2h,5h,10h,10h"
    # Secrets at rest (webhook signing secrets): Fernet keys, comma separated; the first encrypts,
    # all decrypt (rotation: put a new key first, run `keel secrets rotate`, drop the old one).
    # Required in production; `keel up` generates one; development falls back to a public key.
    secrets_keys: SecretStr | None = None

    # Bookings: a confirmed booking cancelled less than this many hours before its start needs the
    # caller to accept the late-cancellation fee (``accept_fee``).
    booking_free_cancellation_hours: float = 24
    # Calendar imports fetch iCalendar URLs through the SSRF guard: private addresses only if named here
    # (comma-separated CIDRs or host names); a feed larger than calendar_max_bytes fails its sync.
    calendar_allow_private: str = ""
    calendar_timeout_seconds: float = 15.0
    calendar_max_bytes: int = 5_242_880

    # Cache (cache-aside for read-mostly data): ``memory`` per process or ``redis`` shared. TTLs in
    # seconds per kind, ``default`` for the others; 0 turns a kind off.
    cache_backend: Literal["memory", "redis"] = "memory"
    redis_url: str | None = None
    cache_ttls: str = "entity_type=60,notification_template=300,definition=300,principal=30"
    cache_max_items: int = 10_000

    # Documents: stored objects (content-addressed per tenant). ``file://`` (the default) keeps them
    # under <home>/storage, ``file:///abs/dir`` elsewhere; ``s3://bucket/prefix`` uses S3 (credentials
    # and region from the usual AWS_* variables, read by boto3); the endpoint only for S3-compatible peers.
    storage_url: str = "file://"
    s3_endpoint_url: str | None = None
    document_max_bytes: int = 26_214_400  # 25 MB per uploaded or generated document (413 beyond)
    document_max_pages: int = 500
    # Signing: the PKCS#12 file (and its password) whose key seals completed documents, and the RFC 3161
    # timestamp authority. Without a certificate, development uses a local CA under <home>/signing.
    signing_cert: Path | None = None
    signing_cert_password: SecretStr | None = None
    timestamp_url: str | None = None
    usage_grace_days: int = 7  # usage events older than this are refused: past periods are billed

    # Where the YAML definitions shipped with Keel live (the repository's definitions/ by default).
    definitions_dir: Path | None = None

    # The workflow sandbox. "fast" passes the YAML interpreter's own module through it (not re-imported
    # for every run: a third of a process's first workflow task); "strict" re-imports and checks it
    # like every other workflow. The test suite runs strict, so the interpreter's code is checked there
    # (a clock, randomness or I/O in it fails the tests); hand-written workflows are always checked.
    workflow_sandbox: Literal["fast", "strict"] = "fast"

    # Shutdown: on SIGTERM the API stops accepting connections and lets in-flight requests finish,
    # the worker stops polling and lets running activities finish (one not finished by then is retried
    # by another worker), for at most this long. Keep the orchestrator's kill timeout above it
    # (terminationGracePeriodSeconds, stop_grace_period).
    shutdown_grace_seconds: int = 30

    # Housekeeping (Temporal Schedules the worker creates at start): delivered outbox events (and
    # with them their webhook delivery history), development outbox messages and ended sign-in
    # sessions are deleted this many days after they were published, stored or ended.
    outbox_retention_days: int = 30
    dev_outbox_retention_days: int = 7
    session_retention_days: int = 30

    # Traces (OpenTelemetry), exported by OTLP/HTTP to <endpoint>/v1/traces, e.g. http://collector:4318;
    # unset, nothing is traced.
    otel_exporter_otlp_endpoint: str | None = None

    # Logging: JSON lines by default in production, readable text in development.
    log_format: Literal["json", "text"] | None = None
    log_level: str = "INFO"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _RuntimeFileSource(settings_cls)

    @field_validator("rate_limit_tiers", "rate_limit_tenant_tiers")
    @classmethod
    def _tiers(cls, value: str) -> str:
        parse_tiers(value)
        return value

    @field_validator("rate_limit_sign_in_per_ip", "rate_limit_public_per_ip")
    @classmethod
    def _rate(cls, value: str) -> str:
        Rate.parse(value)
        return value

    @field_validator("shutdown_grace_seconds")
    @classmethod
    def _grace(cls, value: int) -> int:
        if value < 0:
            raise ValueError("must be zero or more seconds")
        return value

    @field_validator("outbox_retention_days", "dev_outbox_retention_days", "session_retention_days")
    @classmethod
    def _days(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least one day")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        for origin in (o.strip() for o in value.split(",") if o.strip()):
            if origin != "*" and not re.match(r"^https?://[^/\s]+$", origin):
                raise ValueError(f"{origin!r} is not an origin such as https://app.example.com")
        return value

    @field_validator("worker_metrics_address")
    @classmethod
    def _socket_address(cls, value: str | None) -> str | None:
        """The SDK's exporter binds a socket address: an IP (``[...]`` for IPv6) and a port."""
        if not value:
            return None
        host, _, port = value.rpartition(":")
        try:
            ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
        except ValueError:
            raise ValueError(f"{value!r} is not ip:port (an IP address, not a host name)") from None
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{value!r} has no valid port")
        return value

    # -- derived values -------------------------------------------------------------------
    @property
    def api_url(self) -> str:
        return self.public_url or f"http://{self.api_host}:{self.api_port}"

    @property
    def stripe_js_url(self) -> str:
        """Stripe.js for the payment page: localstripe's own when it stands in for Stripe."""
        if self.stripe_api_base:
            return f"{self.stripe_api_base.rstrip('/')}/js.stripe.com/v3/"
        return "https://js.stripe.com/v3/"

    @property
    def temporal_ui(self) -> str:
        return self.temporal_ui_url or f"http://127.0.0.1:{self.temporal_ui_port}"

    @property
    def storage_location(self) -> str:
        """``KEEL_STORAGE_URL`` with the default ``file://`` made concrete: ``<home>/storage``."""
        if self.storage_url in {"", "file://"}:
            return (self.home.resolve() / "storage").as_uri()
        return self.storage_url

    @property
    def shipped_definitions(self) -> Path:
        if self.definitions_dir is not None:
            return self.definitions_dir
        beside = Path(__file__).resolve().parents[1] / "definitions"
        return beside if beside.is_dir() else Path.cwd() / "definitions"

    def require_database_url(self) -> str:
        if not self.database_url:
            raise RuntimeError(
                "KEEL_DATABASE_URL is not set and no embedded stack is running "
                "(start one with `keel up`, or set KEEL_DATABASE_URL)."
            )
        return self.database_url

    def require_admin_url(self) -> str:
        return self.database_admin_url or self.require_database_url()

    def require_temporal_address(self) -> str:
        if not self.temporal_address:
            raise RuntimeError(
                "KEEL_TEMPORAL_ADDRESS is not set and no embedded stack is running "
                "(start one with `keel up`, or set KEEL_TEMPORAL_ADDRESS)."
            )
        return self.temporal_address

    @property
    def critical_category_set(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.critical_categories.split(",") if c.strip())

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @property
    def secrets_key_list(self) -> list[str]:
        raw = self.secrets_keys.get_secret_value() if self.secrets_keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    def require_jwt_secret(self) -> str:
        if self.jwt_secret is None or len(self.jwt_secret.get_secret_value()) < 32:
            raise RuntimeError("KEEL_JWT_SECRET must be set to at least 32 characters.")
        return self.jwt_secret.get_secret_value()


def load_settings(**overrides: Any) -> Settings:
    return Settings(**overrides)
