"""The console's security page for the signed-in person: their second factor (set up an authenticator
from its QR code and confirm it with a first code, through ``POST /api/v1/me/mfa/totp`` and
``.../confirm``; the recovery codes shown once) and their standing sign-in sessions, each ended by
``DELETE /api/v1/me/sessions/{id}``. When the organisation asks for a second factor that the person
has not set up yet, every other page sends them here (``?required=1``) rather than refusing them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from domain.context import TenantContext
from domain.identity import mfa, sessions
from web.console import i18n, views

router = APIRouter(prefix="/app/security", include_in_schema=False)

i18n.extend(
    {
        "en": {
            "security": "Security",
            "security_required": "Your organisation asks every member for a second factor. Set up an "
            "authenticator app below to continue.",
            "security_mfa": "Second factor",
            "security_mfa_on": "On since {when}; {left} recovery codes left.",
            "security_mfa_off": "Off: your password alone signs you in.",
            "security_enrol": "Set up an authenticator app",
            "security_scan": "Scan this QR code with your authenticator app (or type the key below), then "
            "enter the six digits it shows.",
            "security_key": "Key",
            "security_qr": "QR code of the authenticator's key",
            "security_code": "The six digits your app shows",
            "security_confirm": "Turn on",
            "security_codes": "Your recovery codes",
            "security_codes_help": "Each signs you in once if you lose your phone. Keep them somewhere "
            "safe: they are shown only now.",
            "security_done": "Continue",
            "security_sessions": "Where you are signed in",
            "security_this": "this browser",
            "security_last_used": "Last used",
            "security_end": "End this session",
            "security_ended": "Session ended.",
        },
        "fr": {
            "security": "Sécurité",
            "security_required": "Votre organisation demande un second facteur à chaque membre. "
            "Configurez une application d'authentification ci-dessous pour continuer.",
            "security_mfa": "Second facteur",
            "security_mfa_on": "Activé depuis le {when} ; il reste {left} codes de secours.",
            "security_mfa_off": "Désactivé : votre mot de passe seul vous connecte.",
            "security_enrol": "Configurer une application d'authentification",
            "security_scan": "Scannez ce QR code avec votre application d'authentification (ou saisissez "
            "la clé ci-dessous), puis entrez les six chiffres qu'elle affiche.",
            "security_key": "Clé",
            "security_qr": "QR code de la clé de l'application d'authentification",
            "security_code": "Les six chiffres affichés par votre application",
            "security_confirm": "Activer",
            "security_codes": "Vos codes de secours",
            "security_codes_help": "Chacun vous connecte une fois si vous perdez votre téléphone. "
            "Gardez-les en lieu sûr : ils ne sont affichés que maintenant.",
            "security_done": "Continuer",
            "security_sessions": "Où vous êtes connecté",
            "security_this": "ce navigateur",
            "security_last_used": "Dernière utilisation",
            "security_end": "Terminer cette session",
            "security_ended": "Session terminée.",
        },
    }
)


def _mine(session: Session, ctx: TenantContext) -> dict[str, Any]:
    return {
        "mfa": mfa.status(session, ctx),
        "sessions": [sessions.session_out(s, ctx.session_id) for s in sessions.list_mine(session, ctx)],
        "zone": views.zone(session, ctx),
    }


@router.get("")
async def security_page(request: Request) -> Response:
    required = bool(request.query_params.get("required"))
    return await views.rendered(request, _mine, "security.html", required=required)
