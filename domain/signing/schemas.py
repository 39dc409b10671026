"""What a signing request takes and answers, what a signer sees, and the signing workflow's values."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, EmailStr, Field, StringConstraints, Tag

from domain.durations import Duration

Role = Literal["signer", "approver", "cc"]
Auth = Literal["email", "sms_otp"]
FieldType = Literal["signature", "initials", "date", "text"]
Status = Literal["sent", "completing", "completed", "declined", "voided", "expired"]
SignerStatus = Literal["waiting", "sent", "viewed", "signed", "declined", "cc"]
ACTING_ROLES = ("signer", "approver")
FINAL_STATUSES = ("completed", "declined", "voided", "expired")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Points = Annotated[float, Field(ge=0, le=14_400)]
Extent = Annotated[float, Field(ge=4, le=14_400)]  # a box smaller than 4 points cannot be filled
# A signer named by its index in ``signers`` (from 0) or by its email address.
SignerRef = Annotated[
    int | str,
    Field(description="the signer's index in `signers` (from 0) or its email address"),
]


class SignerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    email: EmailStr
    phone: str | None = Field(default=None, max_length=32, description="E.164; required for `sms_otp`")
    order: int = Field(ge=1, le=50, description="signers of one order sign in parallel; orders in sequence")
    role: Role = "signer"
    auth: Auth = "email"


class BoxFieldIn(BaseModel):
    """A box at a position: points from the page's top-left corner."""

    model_config = ConfigDict(extra="forbid")

    signer: SignerRef
    type: FieldType = "signature"
    page: int = Field(ge=1, le=10_000)
    x: Points
    y: Points
    width: Extent
    height: Extent
    label: str | None = Field(default=None, max_length=200)


class AnchorFieldIn(BaseModel):
    """A box placed just after each place the anchor text appears in the PDF."""

    model_config = ConfigDict(extra="forbid")

    anchor: str = Field(min_length=1, max_length=200)
    signer: SignerRef
    type: FieldType = "signature"
    width: Extent | None = None
    height: Extent | None = None
    label: str | None = Field(default=None, max_length=200)


def _field_kind(value: Any) -> str:
    given = value if isinstance(value, dict) else vars(value) if hasattr(value, "__dict__") else {}
    return "anchor" if "anchor" in given else "box"


# A box, or a box placed by anchor text: errors name the kind (``fields.0.box.width``).
FieldIn = Annotated[
    Annotated[BoxFieldIn, Tag("box")] | Annotated[AnchorFieldIn, Tag("anchor")], Discriminator(_field_kind)
]


class RemindersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    every: Duration = Field(description="ISO 8601, e.g. P2D; at least PT1H and shorter than `expires_in`")


class SigningRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document_id: uuid.UUID
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    message: str | None = Field(default=None, max_length=5000)
    signers: list[SignerIn] = Field(min_length=1, max_length=50)
    fields: list[FieldIn] = Field(default_factory=list, max_length=500)
    expires_in: Duration = Field(
        default=timedelta(days=14), description="ISO 8601, from PT1H to P365D (default P14D)"
    )
    reminders: RemindersIn | None = None


class SignerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    email: str
    order: int
    role: str
    auth: str
    status: str
    notified_at: datetime | None
    viewed_at: datetime | None
    acted_at: datetime | None


class FieldOut(BaseModel):
    id: str
    signer_id: uuid.UUID
    type: FieldType
    page: int
    x: float
    y: float
    width: float
    height: float
    label: str | None = None


class SigningRequestOut(BaseModel):
    id: uuid.UUID
    status: str
    status_reason: str | None
    title: str
    message: str | None
    document_id: uuid.UUID
    document_version: int
    final_version: int | None = Field(description="the document's version holding the sealed result")
    current_order: int
    expires_at: datetime
    reminder_every: str | None
    signers: list[SignerOut]
    fields: list[FieldOut]
    created_at: datetime
    completed_at: datetime | None


class AuditEntryOut(BaseModel):
    action: str
    at: datetime
    signer_id: uuid.UUID | None
    signer_email: str | None
    ip: str | None
    user_agent: str | None
    document_sha256: str
    details: dict[str, Any]


class VoidIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class RemindOut(BaseModel):
    reminded: list[uuid.UUID] = Field(description="the signers who were emailed a reminder")


# -- what a signer sees (the public endpoints and the /sign page) -----------------------------------


class ViewRequest(BaseModel):
    id: uuid.UUID
    title: str
    message: str | None
    status: str
    expires_at: datetime


class ViewSigner(BaseModel):
    id: uuid.UUID
    name: str
    email: str
    role: str
    status: str
    auth: str


class ViewDocument(BaseModel):
    name: str
    page_count: int
    sha256: str


class ViewPage(BaseModel):
    number: int
    width: float
    height: float
    image_url: str


class SigningView(BaseModel):
    request: ViewRequest
    signer: ViewSigner
    document: ViewDocument
    fields: list[FieldOut]
    pages: list[ViewPage]


class SignatureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["typed", "drawn"]
    value: str = Field(
        min_length=1,
        max_length=300_000,
        description="typed: the name (1..100 characters); drawn: a data:image/png;base64 URL (≤ 200 kB)",
    )


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    signature: SignatureIn
    fields: dict[str, Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict, max_length=500, description="a value for each of your `text` fields, by id"
    )
    otp: str | None = Field(default=None, max_length=12)
    consent: bool


class DeclineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class ActedOut(BaseModel):
    status: Literal["signed", "declined"]


class OtpSentOut(BaseModel):
    sent_to: str = Field(description="the phone number the code went to, masked")


# -- the workflow's values ------------------------------------------------------------------------


class SigningRef(BaseModel):
    tenant_id: uuid.UUID
    request_id: uuid.UUID


class SigningRun(BaseModel):
    tenant_id: uuid.UUID
    request_id: uuid.UUID
    expires_at: datetime
    remind_every_seconds: int | None


class ReminderRound(BaseModel):
    tenant_id: uuid.UUID
    request_id: uuid.UUID
    round: int
