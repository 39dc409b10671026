from __future__ import annotations

import re
import uuid
import zoneinfo
from datetime import datetime
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)


class NotifyIn(BaseModel):
    """What a process step sends: recipients as ``user:``/``role:`` strings."""

    tenant_id: uuid.UUID
    to: list[str] = Field(min_length=1)
    title: str = Field(min_length=1)
    body: str = ""
    category: str = "processes"
    kind: str = "process.notification"
    data: dict[str, Any] = Field(default_factory=dict)


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    channel: str
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime


# --- Templates and preferences -----------------------------------------------------------------

CHANNELS = ("email", "sms", "push", "in_app")
SLUG = r"^[a-z0-9][a-z0-9\-_.]*$"
# A BCP 47 tag as Keel stores it: language, optional script, optional region (en, pt-BR, zh-Hant-TW).
_LOCALE = re.compile(r"^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|[0-9]{3}))?$", re.IGNORECASE)
_HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"

Channel = Literal["email", "sms", "push", "in_app"]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=SLUG)]
Category = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=SLUG)]
# One template field's Jinja source (e.g. an email's html), bounded so a save stays cheap to check.
Source = Annotated[str, Field(max_length=100_000)]


def normalise_locale(value: str) -> str:
    """``pt-br`` -> ``pt-BR``, ``zh-hant-tw`` -> ``zh-Hant-TW``; anything else is a ValueError."""
    match = _LOCALE.match(value.strip())
    if not match:
        raise ValueError("must be a BCP 47 language tag such as en, pt-BR or zh-Hant-TW")
    language, script, region = match.groups()
    parts = [language.lower(), script.title() if script else None, region.upper() if region else None]
    return "-".join(p for p in parts if p)


Locale = Annotated[str, Field(max_length=35), AfterValidator(normalise_locale)]


class TemplateIn(BaseModel):
    """A template's content: ``channels`` maps channel -> locale -> field -> Jinja source."""

    model_config = ConfigDict(extra="forbid")

    category: Category = "general"
    description: str | None = Field(default=None, max_length=2000)
    default_locale: Locale = "en"
    channels: dict[str, dict[str, dict[str, Source]]] = Field(
        min_length=1,
        description="channel -> locale -> field -> Jinja source, e.g. email -> en -> subject",
    )
    sample_data: dict[str, Any] | None = Field(
        default=None, description="data to test-render every field with at save time"
    )
    key: Slug | None = Field(default=None, description="on PUT, optional; must match the path")


class TemplateCreate(TemplateIn):
    key: Slug  # required on create


# The variables a template reads, as both template answers (one version, the list) report them.
Variables = Annotated[
    list[str],
    Field(
        default_factory=list, description="every data variable the template reads (derived from its source)"
    ),
]
RequiredVariables = Annotated[
    list[str],
    Field(
        default_factory=list,
        description="the variables read outside any guard ({% if %}, default): a send without one is a 422",
    ),
]


class TemplateOut(BaseModel):
    key: str
    version: int = Field(description="0 for a built-in template")
    builtin: bool
    category: str
    description: str | None
    default_locale: str
    channels: dict[str, dict[str, dict[str, str]]]
    variables: Variables
    required: RequiredVariables
    created_at: datetime | None
    created_by: uuid.UUID | None


class TemplateSummary(BaseModel):
    key: str
    version: int
    builtin: bool
    category: str
    description: str | None
    default_locale: str
    locales: dict[str, list[str]] = Field(description="channel -> the locales it has content for")
    variables: Variables
    required: RequiredVariables
    created_at: datetime | None


class TemplateVersionOut(BaseModel):
    version: int
    builtin: bool
    category: str
    description: str | None
    created_at: datetime | None
    created_by: uuid.UUID | None


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: str = Field(max_length=16)
    locale: str | None = Field(default=None, max_length=35)
    data: dict[str, Any] = Field(default_factory=dict)
    version: int | None = Field(default=None, ge=0, description="an older version; the latest by default")


class RenderedOut(BaseModel):
    key: str
    version: int
    channel: str
    locale: str = Field(description="the locale actually used after fallback")
    fields: dict[str, str]


class QuietHours(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: str = Field(pattern=_HHMM, description="HH:MM (24 h) in your time zone")
    end: str = Field(pattern=_HHMM, description="HH:MM; may be earlier than start (wraps midnight)")


def _timezone(value: str) -> str:
    if value not in _zones():
        raise ValueError("must be an IANA time zone such as Europe/Paris or America/New_York")
    return value


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _push_endpoint(value: str) -> str:
    url = urlsplit(value)
    if url.scheme not in ("https", "http") or not url.hostname:
        raise ValueError("must be an https URL")
    if url.username or url.password:
        raise ValueError("must not carry credentials")
    return value


class PreferencesIn(BaseModel):
    """A full replace of the caller's preferences; omitted fields return to their defaults."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = Field(
        default=None, min_length=2, max_length=2, description="ISO 3166 region of a national phone number"
    )
    phone: str | None = Field(default=None, max_length=40, description="E.164, or national with region")
    timezone: Annotated[str, Field(max_length=64), AfterValidator(_timezone)] = "UTC"
    locale: Locale = "en"
    quiet_hours: QuietHours | None = None
    opt_out: dict[Category, list[Channel]] = Field(
        default_factory=dict, max_length=200, description="category -> channels you do not want"
    )
    push_endpoints: list[Annotated[str, Field(max_length=2048), AfterValidator(_push_endpoint)]] = Field(
        default_factory=list, max_length=10
    )
    critical_categories: list[str] | None = Field(default=None, description="read-only: ignored")

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and value.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be an ISO 3166 region code such as GB or US")
        return value.upper() if value else None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        region = info.data.get("region")
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException as exc:
            hint = "" if region else " (or give a national number with region)"
            raise ValueError(f"is not a phone number: use E.164 such as +447946000000{hint}") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValueError("is not a valid phone number")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("opt_out")
    @classmethod
    def _opt_out(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {category: sorted(set(channels)) for category, channels in value.items() if channels}

    @field_validator("push_endpoints")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class PreferencesOut(BaseModel):
    phone: str | None
    timezone: str
    locale: str
    quiet_hours: QuietHours | None
    opt_out: dict[str, list[str]]
    push_endpoints: list[str]
    critical_categories: list[str] = Field(description="read-only: categories nobody can opt out of")
