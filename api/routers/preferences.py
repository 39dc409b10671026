"""The caller's own notification preferences: contact details, opt-outs, quiet hours."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import Ctx, Db, SettingsDep
from api.envelope import Envelope, errors
from domain.notifications import preferences
from domain.notifications.schemas import PreferencesIn, PreferencesOut

router = APIRouter(prefix="/api/v1/me/notification-preferences", tags=["notification preferences"])


@router.get(
    "",
    responses=errors(403),
    summary="Your notification preferences (the defaults until you save some)",
)
def get_preferences(ctx: Ctx, session: Db, settings: SettingsDep) -> Envelope[PreferencesOut]:
    return Envelope(data=preferences.mine(session, ctx, settings.critical_category_set))


@router.put(
    "",
    responses=errors(403),
    summary="Replace your notification preferences; phone numbers are stored in E.164, push endpoints "
    "must be public https URLs (the webhook SSRF guard)",
)
def put_preferences(
    body: PreferencesIn, ctx: Ctx, session: Db, settings: SettingsDep
) -> Envelope[PreferencesOut]:
    prefs = preferences.replace_mine(
        session,
        ctx,
        body,
        critical=settings.critical_category_set,
        production=settings.environment == "production",
        allow_private=settings.webhook_allow_private,  # what the push sender allows too
    )
    return Envelope(data=prefs)
