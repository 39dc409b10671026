"""A person's data by email address: export everything Keel holds about them, or erase it (admins only).

Both answer 404 when the address is found nowhere in the tenant: nothing is exported, nothing changes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import Ctx, Db, SettingsDep
from api.envelope import success
from api.resource_routes import ResourceRoutes
from domain.audit.canonical import pseudonym_key
from domain.privacy import service as privacy
from domain.privacy.schemas import ErasureOut, PersonExport

router = APIRouter(prefix="/api/v1/people", tags=["people"])
Email = Annotated[str, Path(max_length=320, description="the person's email address")]
routes = ResourceRoutes(router, PersonExport, item="/{email}")


@routes.read(
    below="/export",
    summary="Everything held about a person: user, inbox tasks, notifications and deliveries, bookings, "
    "records and billing customers naming the address, audit entries about them",
)
def export_person(email: Email, ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, Any]:
    return success(privacy.export(session, ctx, email, pseudonym_key(settings)))


@routes.post(
    "/erase",
    model=ErasureOut,
    summary="Anonymise a person: the address becomes its keyed hash everywhere it is held (audit entries "
    "included, the chain still verifies), names beside it 'erased'; the user is deactivated and signed out",
)
def erase_person(email: Email, ctx: Ctx, session: Db, settings: SettingsDep) -> dict[str, Any]:
    return success(privacy.erase(session, ctx, email, pseudonym_key(settings)))
