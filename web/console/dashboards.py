"""The console's analytics dashboards: the list (the shipped operations dashboard first, then the
organisation's own), and a dashboard's page: every tile read and rendered server-side (numbers with the
previous period's figure and the change, tables, heatmaps, and the figures behind each chart), then
kept live by ``console-dashboards.js``, which draws the charts with uPlot and follows
``GET /api/v1/dashboards/{id}/stream`` to update the tiles that change."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from domain.analytics import dashboards, service
from domain.context import TenantContext
from domain.errors import DomainError, NotFound, ValidationFailed
from web.console import i18n, views
from web.console.dashboards_tiles import view

router = APIRouter(prefix="/app/dashboards", include_in_schema=False)
PAGE = 50
MAX_CURSOR = 512
LIVE_EVERY = 5  # seconds between the stream's looks: the shortest the API allows
SCRIPT_WORDS = (
    "dashboards_no_value",
    "dashboards_change_none",
    "dashboards_change_same",
    "dashboards_up",
    "dashboards_down",
    "dashboards_updated",
    "dashboards_updated_chart",
    "dashboards_gone",
    "dashboards_paused",
    "dashboards_stopped",
    "dashboards_chart_empty",
    "dashboards_chart_summary",
    "dashboards_chart_summary_groups",
    "dashboards_week_of",
    "dashboards_none",
    "dashboards_value",
    "dashboards_tile_error",
)

i18n.extend(
    {
        "en": {
            "dashboards_help": "Charts and key figures of your organisation's work.",
            "dashboards_shipped": "Ships with Keel",
            "dashboards_changed": "Changed",
            "dashboards_tile_count": "{n} tiles",
            "dashboards_tile_count_one": "1 tile",
            "dashboards_empty": (
                "Your organisation has no dashboard of its own yet: only the one Keel ships is listed. "
                "Someone allowed to write analytics can create one through the API "
                "(POST /api/v1/dashboards); it then appears here."
            ),
            "dashboards_more": "Next dashboards",
            "dashboards_restarted": "That page of the list does not exist (any more): here is the first.",
            "dashboards_back": "All dashboards",
            "dashboards_no_tiles": (
                "This dashboard has no tile yet. Add tiles through the API "
                "(PATCH /api/v1/dashboards/{id}); they appear here."
            ),
            "dashboards_as_of": "Figures as of",
            "dashboards_live_help": "They update by themselves while this page is open.",
            "dashboards_no_value": "no data",
            "dashboards_previous": "Previous period:",
            "dashboards_change_none": "No previous figure to compare with",
            "dashboards_change_same": "No change from the previous period",
            "dashboards_up": "Up {change} from the previous period",
            "dashboards_down": "Down {change} from the previous period",
            "dashboards_between": "{start} to {end}",
            "dashboards_last_day": "Last 24 hours",
            "dashboards_last_days": "Last {n} days",
            "dashboards_last_hour": "Last hour",
            "dashboards_last_hours": "Last {n} hours",
            "dashboards_week_of": "Week of {date}",
            "dashboards_none": "(none)",
            "dashboards_value": "Value",
            "dashboards_period": "Period",
            "dashboards_chart_empty": "Nothing was measured in this period.",
            "dashboards_chart_summary": "{n} periods: latest {latest}, highest {highest}.",
            "dashboards_chart_summary_groups": "{n} periods, {groups} groups: highest {highest}.",
            "dashboards_figures": "The figures as a table",
            "dashboards_heat_help": "Darker cells hold higher figures; each cell shows its figure.",
            "dashboards_tile_error": "This tile cannot be shown now: {message}",
            "dashboards_updated": "{title}: now {value}.",
            "dashboards_updated_chart": "{title} has new figures.",
            "dashboards_gone": "This dashboard was deleted. Go back to all dashboards.",
            "dashboards_paused": "Live updates are paused: the page reconnects by itself.",
            "dashboards_stopped": "Live updates stopped: reload the page, signing in again if asked.",
        },
        "fr": {
            "dashboards_help": "Les graphiques et chiffres clés du travail de votre organisation.",
            "dashboards_shipped": "Fourni avec Keel",
            "dashboards_changed": "Modifié le",
            "dashboards_tile_count": "{n} tuiles",
            "dashboards_tile_count_one": "1 tuile",
            "dashboards_empty": (
                "Votre organisation n'a pas encore de tableau de bord à elle : seul celui fourni avec Keel "
                "est listé. Une personne autorisée à écrire l'analytique peut en créer un par l'API "
                "(POST /api/v1/dashboards) ; il apparaît alors ici."
            ),
            "dashboards_more": "Tableaux de bord suivants",
            "dashboards_restarted": "Cette page de la liste n'existe pas (ou plus) : voici la première.",
            "dashboards_back": "Tous les tableaux de bord",
            "dashboards_no_tiles": (
                "Ce tableau de bord n'a pas encore de tuile. Ajoutez-en par l'API "
                "(PATCH /api/v1/dashboards/{id}) ; elles apparaissent ici."
            ),
            "dashboards_as_of": "Chiffres au",
            "dashboards_live_help": "Ils se mettent à jour seuls tant que cette page est ouverte.",
            "dashboards_no_value": "aucune donnée",
            "dashboards_previous": "Période précédente :",
            "dashboards_change_none": "Aucun chiffre précédent à comparer",
            "dashboards_change_same": "Inchangé par rapport à la période précédente",
            "dashboards_up": "En hausse de {change} par rapport à la période précédente",
            "dashboards_down": "En baisse de {change} par rapport à la période précédente",
            "dashboards_between": "Du {start} au {end}",
            "dashboards_last_day": "Dernières 24 heures",
            "dashboards_last_days": "{n} derniers jours",
            "dashboards_last_hour": "Dernière heure",
            "dashboards_last_hours": "{n} dernières heures",
            "dashboards_week_of": "Semaine du {date}",
            "dashboards_none": "(aucun)",
            "dashboards_value": "Valeur",
            "dashboards_period": "Période",
            "dashboards_chart_empty": "Rien n'a été mesuré sur cette période.",
            "dashboards_chart_summary": "{n} périodes : dernière {latest}, maximum {highest}.",
            "dashboards_chart_summary_groups": "{n} périodes, {groups} groupes : maximum {highest}.",
            "dashboards_figures": "Les chiffres sous forme de tableau",
            "dashboards_heat_help": (
                "Plus une case est foncée, plus son chiffre est élevé ; chaque case affiche son chiffre."
            ),
            "dashboards_tile_error": "Cette tuile ne peut pas être affichée pour l'instant : {message}",
            "dashboards_updated": "{title} : maintenant {value}.",
            "dashboards_updated_chart": "{title} a de nouveaux chiffres.",
            "dashboards_gone": "Ce tableau de bord a été supprimé. Revenez à la liste des tableaux de bord.",
            "dashboards_paused": "Les mises à jour en direct sont suspendues : la page se reconnecte seule.",
            "dashboards_stopped": (
                "Les mises à jour en direct sont arrêtées : rechargez la page, "
                "en vous reconnectant si demandé."
            ),
        },
    }
)


def _listing(cursor: str | None) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        found, more = dashboards.listing(session, ctx, limit=PAGE, cursor=cursor)
        return {"boards": found, "more": more, "zone": views.zone(session, ctx)}

    return read


@router.get("")
async def dashboard_list(request: Request, cursor: str | None = None) -> Response:
    """The dashboards, a page at a time (``cursor``: where the previous page ended)."""
    found = await views.signed_in(request)
    if isinstance(found, Response):
        return found
    restarted = False
    try:
        try:
            if cursor and len(cursor) > MAX_CURSOR:
                raise ValidationFailed.one("cursor", "is too long")
            seen = await views.read(request, found, _listing(cursor or None))
        except ValidationFailed:
            if not cursor:
                raise
            # A position that is not one of ours (edited, or from an older release): the first page.
            seen, restarted, cursor = await views.read(request, found, _listing(None)), True, None
    except DomainError as exc:  # no permission
        return views.kept(found, views.error(request, exc, found))
    own = [b for b in seen["boards"] if not b.builtin]
    first = not cursor
    return views.answer(request, found, "dashboards.html", seen, own=own, first=first, restarted=restarted)


def _titles(session: Session, ctx: TenantContext, names: set[str]) -> dict[str, str]:
    """Each metric's title; a metric that is gone keeps its name (its tile says what went wrong)."""
    titles: dict[str, str] = {}
    for name in names:
        try:
            titles[name] = service.resolve(session, ctx, name)[0].declaration.title
        except NotFound:
            titles[name] = name
    return titles


def _reader(lang: str, dashboard_id: uuid.UUID) -> Any:
    def read(session: Session, ctx: TenantContext) -> dict[str, Any]:
        board = dashboards.get(session, ctx, dashboard_id)
        answered = dashboards.data(session, ctx, dashboard_id)
        titles = _titles(session, ctx, {t.metric for t in board.tiles})
        zone = views.zone(session, ctx)
        words = i18n.words(lang)
        tiles = [
            view(tile, board.tiles[tile.index].params, titles[tile.metric], lang, zone, words)
            for tile in answered.tiles
        ]
        return {"board": board, "tiles": tiles, "computed_at": answered.computed_at, "zone": zone}

    return read


@router.get("/{dashboard_id}")
async def dashboard_page(request: Request, dashboard_id: str) -> Response:
    lang = i18n.language(request)
    read = await views.one(request, "dashboard", dashboard_id, lambda i: _reader(lang, i))
    if isinstance(read, Response):
        return read
    found, seen = read
    words = i18n.words(lang)
    script = {key: words[key] for key in SCRIPT_WORDS}
    stream = f"/api/v1/dashboards/{seen['board'].id}/stream?interval={LIVE_EVERY}"
    return views.answer(request, found, "dashboards_one.html", seen, script_words=script, stream=stream)
