from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from domain.identity.permissions import ALL, PERMISSIONS


def _email(value: str) -> str:
    try:
        # test_environment allows the reserved ``.test`` domain used by demos and tests.
        return validate_email(value, check_deliverability=False, test_environment=True).normalized.lower()
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc


Email = Annotated[str, Field(max_length=320), AfterValidator(_email)]
ROLE_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


def _role_name(value: str) -> str:
    if not ROLE_NAME.match(value):
        raise ValueError("a role name is lowercase letters, digits, '.', '_' or '-', starting with a letter")
    return value


RoleName = Annotated[str, AfterValidator(_role_name)]


class TenantIn(BaseModel):
    name: str = Field(min_length=1, max_length=255)
    domain: str = Field(max_length=253)
    subscription_tier: str = Field(default="free", max_length=50)
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        value = value.strip().lower()
        if not DOMAIN.match(value):
            raise ValueError("must be a domain name such as acme.example")
        return value


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: str = Field(min_length=10, max_length=256)
    full_name: str | None = Field(default=None, max_length=255)
    roles: list[RoleName] = Field(default_factory=list, max_length=50)


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    full_name: str | None
    is_active: bool
    roles: list[str]
    created_at: datetime
    updated_at: datetime


class UserUpdate(BaseModel):
    """What a user manager may change; the caller must hold every permission the user holds."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = Field(default=None, max_length=255)
    is_active: bool | None = Field(default=None, description="false signs the user out of every credential")
    roles: list[RoleName] | None = Field(default=None, max_length=50, description="replaces the user's roles")

    @model_validator(mode="after")
    def _something(self) -> UserUpdate:
        if not self.model_fields_set:
            raise ValueError("send at least one of full_name, is_active, roles")
        if "is_active" in self.model_fields_set and self.is_active is None:
            raise ValueError("is_active must be true or false")
        if "roles" in self.model_fields_set and self.roles is None:
            raise ValueError("roles must be a list (empty for none)")
        return self


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RoleName
    description: str | None = Field(default=None, max_length=1000)
    permissions: list[str] = Field(default_factory=list, max_length=100)
    mfa_required: bool = Field(
        default=False, description="everyone holding the role signs in with a second factor"
    )

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        unknown = [p for p in value if p != ALL and p not in PERMISSIONS]
        if unknown:
            raise ValueError(f"unknown permissions: {', '.join(unknown)}; known: *, {', '.join(PERMISSIONS)}")
        return sorted(set(value))


class RoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=1000)
    permissions: list[str] | None = Field(default=None, max_length=100, description="replaces them all")
    mfa_required: bool | None = None

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else RoleCreate._known(value)

    @model_validator(mode="after")
    def _something(self) -> RoleUpdate:
        if not self.model_fields_set:
            raise ValueError("send description or permissions")
        if "permissions" in self.model_fields_set and self.permissions is None:
            raise ValueError("permissions must be a list (empty for none)")
        return self


class RoleOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str | None
    permissions: list[str]
    mfa_required: bool
    created_at: datetime


API_KEY_MAX_DAYS = 730  # a key lives at most two years


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    expires_at: AwareDatetime | None = Field(
        default=None, description="when the key stops working (in the future, within two years); none: never"
    )
    permissions: list[str] | None = Field(
        default=None,
        max_length=100,
        description="at most these (each one you hold), intersected with what you hold at each use; "
        "none: whatever you hold",
    )

    @field_validator("expires_at")
    @classmethod
    def _within(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        now = datetime.now(UTC)
        if value <= now:
            raise ValueError("must be in the future")
        if value > now + timedelta(days=API_KEY_MAX_DAYS):
            raise ValueError(f"must be within {API_KEY_MAX_DAYS} days")
        return value

    @field_validator("permissions")
    @classmethod
    def _known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else RoleCreate._known(value)


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    user_id: uuid.UUID
    created_at: datetime
    expires_at: datetime | None
    permissions: list[str] | None = Field(description="the key's subset; null: whatever its user holds")
    last_used_at: datetime | None = Field(description="updated at most once a minute")
    last_used_ip: str | None


class ApiKeyCreated(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str
    api_key: str = Field(description="Shown once; only a hash is stored.")
    created_at: datetime
    expires_at: datetime | None = None
    permissions: list[str] | None = None


PASSWORD_MIN = 12
NewPassword = Annotated[
    str,
    Field(min_length=PASSWORD_MIN, max_length=256, description=f"{PASSWORD_MIN}+ characters, not your email"),
]


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=256)
    new_password: NewPassword


class PasswordResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    tenant: str | None = Field(
        default=None, max_length=253, description="the tenant's domain or id, when the email is in several"
    )


class PasswordResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200, description="from the email")
    new_password: NewPassword


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str | None = Field(
        default=None, description="works once: grant_type=refresh_token answers the next one"
    )


class TenantCreated(BaseModel):
    tenant_id: uuid.UUID
    admin_user_id: uuid.UUID
    admin_email: str
    api_key: str


class CodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        min_length=6, max_length=32, description="the authenticator's current code, or a recovery code"
    )


class SessionOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    ip: str | None
    user_agent: str | None
    mfa: bool = Field(description="signed in with the second factor")
    current: bool = Field(description="the session of the token making this request")


class MfaStatusOut(BaseModel):
    enabled: bool
    confirmed_at: datetime | None
    recovery_codes_left: int
    required: bool = Field(
        description="the tenant's policy or one of the user's roles asks for a second factor"
    )


class TotpEnrolmentOut(BaseModel):
    secret: str = Field(description="base32, for typing into an authenticator by hand")
    otpauth_uri: str
    qr_png: str = Field(description="the otpauth URI as a QR code: PNG, base64")


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str] = Field(description="each works once in place of a code; shown only now")


class RevokedOut(BaseModel):
    revoked: int


class SecurityPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mfa_required: bool = Field(description="every user of the tenant signs in with a second factor")
