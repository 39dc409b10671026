"""Checking a new signing request against its document: signers, orders, fields and durations.

Every problem is collected and reported at once (422 with each field's path); nothing is stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from domain.deliveries.service import normalise_phone
from domain.errors import FieldError, ValidationFailed
from domain.signing.anchors import find_anchors
from domain.signing.schemas import ACTING_ROLES, AnchorFieldIn, BoxFieldIn, SignerIn, SigningRequestIn

MIN_EXPIRY = timedelta(hours=1)
MAX_EXPIRY = timedelta(days=365)
MIN_REMINDER = timedelta(hours=1)
MAX_FIELDS_PER_ANCHOR = 50
# A box placed by anchor text, when its size is not given: (width, height) in points.
ANCHOR_SIZES = {
    "signature": (150.0, 40.0),
    "initials": (60.0, 30.0),
    "date": (100.0, 20.0),
    "text": (150.0, 20.0),
}
ANCHOR_GAP = 4.0  # points between the anchor text and its box


@dataclass(frozen=True)
class PlannedSigner:
    id: uuid.UUID
    position: int
    body: SignerIn
    phone: str | None


def check_durations(body: SigningRequestIn) -> list[FieldError]:
    problems = []
    if not MIN_EXPIRY <= body.expires_in <= MAX_EXPIRY:
        problems.append(FieldError("expires_in", "must be from PT1H to P365D"))
    if body.reminders is not None:
        every = body.reminders.every
        if every < MIN_REMINDER:
            problems.append(FieldError("reminders.every", "must be at least PT1H"))
        elif every >= body.expires_in:
            problems.append(FieldError("reminders.every", "must be shorter than expires_in"))
    return problems


def plan_signers(body: SigningRequestIn) -> tuple[list[PlannedSigner], list[FieldError]]:
    problems: list[FieldError] = []
    seen: dict[str, int] = {}
    planned = []
    for i, signer in enumerate(body.signers):
        email = str(signer.email).lower()
        if email in seen:
            problems.append(FieldError(f"signers.{i}.email", f"the same address as signers.{seen[email]}"))
        seen.setdefault(email, i)
        phone = None
        if signer.phone is not None:
            try:
                phone = normalise_phone(signer.phone, f"signers.{i}.phone")
            except ValidationFailed as exc:
                problems += exc.fields
        if signer.auth == "sms_otp" and signer.phone is None:
            problems.append(FieldError(f"signers.{i}.phone", "is required when auth is sms_otp"))
        planned.append(PlannedSigner(uuid.uuid4(), i, signer, phone))
    if not any(s.role in ACTING_ROLES for s in body.signers):
        problems.append(FieldError("signers", "needs at least one signer or approver"))
    orders = sorted({s.order for s in body.signers})
    if orders != list(range(1, len(orders) + 1)):
        missing = sorted(set(range(1, max(orders) + 1)) - set(orders))
        problems.append(FieldError("signers", f"orders must run 1..n without gaps; missing {missing}"))
    for order in orders:
        if not any(s.order == order and s.role in ACTING_ROLES for s in body.signers):
            problems.append(FieldError("signers", f"order {order} has only cc recipients"))
    return planned, problems


def _signer_of(ref: int | str, signers: Sequence[PlannedSigner], path: str) -> PlannedSigner | FieldError:
    if isinstance(ref, int):
        if not 0 <= ref < len(signers):
            return FieldError(path, f"no signer at index {ref}")
        found: PlannedSigner | None = signers[ref]
    else:
        found = next((s for s in signers if str(s.body.email).lower() == ref.strip().lower()), None)
        if found is None:
            return FieldError(path, "no signer has this email address")
    assert found is not None
    if found.body.role not in ACTING_ROLES:
        return FieldError(path, "a cc recipient signs nothing")
    return found


def _inside(box: dict[str, Any], sizes: Sequence[Sequence[float]], path: str) -> FieldError | None:
    page = box["page"]
    if not 1 <= page <= len(sizes):
        return FieldError(f"{path}.page", f"the document has {len(sizes)} pages")
    width, height = sizes[page - 1]
    if box["x"] + box["width"] > width or box["y"] + box["height"] > height:
        return FieldError(path, f"the box falls outside page {page} ({width:g} x {height:g} points)")
    return None


def plan_fields(
    body: SigningRequestIn,
    signers: Sequence[PlannedSigner],
    sizes: Sequence[Sequence[float]],
    pdf: bytes,
) -> tuple[list[dict[str, Any]], list[FieldError]]:
    """The boxes to fill, as stored (``{id, signer_id, type, page, x, y, width, height, label}``)."""
    problems: list[FieldError] = []
    out: list[dict[str, Any]] = []
    for i, field in enumerate(body.fields):
        path = f"fields.{i}"
        signer = _signer_of(field.signer, signers, f"{path}.signer")
        if isinstance(signer, FieldError):
            problems.append(signer)
            continue
        boxes: list[dict[str, Any]] = []
        if isinstance(field, BoxFieldIn):
            boxes.append(field.model_dump(include={"page", "x", "y", "width", "height"}))
        else:
            assert isinstance(field, AnchorFieldIn)
            try:
                found = find_anchors(pdf, field.anchor, max_matches=MAX_FIELDS_PER_ANCHOR)
            except ValidationFailed as exc:
                problems += [FieldError(f"{path}.anchor", f.message) for f in exc.fields]
                continue
            if not found:
                problems.append(FieldError(f"{path}.anchor", "this text is not in the document"))
                continue
            default_w, default_h = ANCHOR_SIZES[field.type]
            width, height = field.width or default_w, field.height or default_h
            for at in found:
                # Just after the text, bottoms aligned: where a line to sign on usually is.
                top = max(0.0, at.y + at.height - height)
                boxes.append(
                    {
                        "page": at.page,
                        "x": at.x + at.width + ANCHOR_GAP,
                        "y": top,
                        "width": width,
                        "height": height,
                    }
                )
        for box in boxes:
            outside = _inside(box, sizes, path)
            if outside is not None:
                problems.append(outside)
                break
            out.append(
                {
                    "id": f"f{len(out) + 1}",
                    "signer_id": str(signer.id),
                    "type": field.type,
                    "label": field.label,
                    **{k: float(v) for k, v in box.items() if k != "page"},
                    "page": int(box["page"]),
                }
            )
    return out, problems
