"""The console's own words in English and French, and the reader's language: the ``keel_lang`` cookie
(set by the language switch), else the browser's ``Accept-Language``, else English. Dates are shown in
the reader's time zone (their notification preferences') and written the way their language writes
them (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from starlette.requests import Request

LANGUAGES = ("en", "fr")
COOKIE = "keel_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "app": "Keel",
        "skip": "Skip to the content",
        "inbox": "Inbox",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "login": "Email",
        "password": "Password",
        "organisation": "Organisation (only when your email belongs to several)",
        "code": "Code from your authenticator (or a recovery code)",
        "code_title": "Second factor",
        "code_help": "Your organisation asks for a second factor: enter the six digits your app shows.",
        "continue": "Continue",
        "signed_out": "You are signed out.",
        "session_over": "Your session has ended: sign in again.",
        "inbox_title": "My open tasks",
        "inbox_help": "Tasks assigned to you or to one of your roles, overdue first.",
        "inbox_empty": "Nothing waits for you. New tasks appear here as processes reach you.",
        "inbox_filtered": "None of your open tasks matches these filters: choose \u201cany\u201d to see "
        "them all.",
        "due_overdue": "overdue",
        "due_today": "due today or earlier",
        "due_week": "due within 7 days",
        "order": "Order",
        "order_due": "due date, overdue first",
        "order_newest": "newest first",
        "task": "Task",
        "process": "Process",
        "definition": "Definition",
        "business_key": "Business key",
        "started": "Started",
        "due": "Due",
        "no_due": "no due date",
        "overdue": "overdue",
        "assignee": "Assigned to",
        "input": "What the process was started with",
        "decide": "Your decision",
        "comment": "Comment (optional)",
        "decided": "Decision recorded.",
        "required": "required",
        "not_found_title": "Not found",
        "not_found": "There is nothing here, or it belongs to another organisation.",
        "not_found_hint": "Go back to your inbox.",
        "forbidden_title": "Not allowed",
        "forbidden": "Your role does not allow this page.",
        "forbidden_hint": "Ask an administrator for the permission, or go back to your inbox.",
        "language": "Français",
        "processes": "Processes",
        "records": "Records",
        "bookings": "Bookings",
        "dashboards": "Dashboards",
        "documents": "Documents",
        "invoices": "Invoices",
        "admin": "Admin",
        "processes_empty": "No process matches. Change the filters, or start one from the API.",
        "any": "any",
        "status": "Status",
        "filter": "Filter",
        "status_running": "running",
        "status_completed": "completed",
        "status_failed": "failed",
        "status_cancelled": "cancelled",
        "status_terminated": "terminated",
        "status_timed_out": "timed out",
        "ended": "Ended",
        "current_step": "Current step",
        "error": "Error",
        "temporal_ui": "Open in the Temporal UI",
        "result": "Result",
        "timeline": "Timeline",
        "no_tasks": "No human task so far.",
        "task_open": "waiting",
        "task_completed": "decided",
        "task_expired": "expired",
        "task_cancelled": "cancelled",
        "breaches": "Missed due dates",
        "cancel": "Cancel the process",
        "cancelled_note": "Cancellation requested.",
        "start": "Start a process",
        "flow": "Steps of the definition",
        "diagram": "Diagram",
        "diagram_help": "The current step is outlined in orange, the steps already run in green.",
        "mermaid": "The definition as a Mermaid flowchart",
        "steps_run": "Steps run",
        "step": "Step",
        "detail": "Detail",
        "optional": "optional",
        "json_help": 'Written as JSON, e.g. {"value": "10.00", "currency": "EUR"} or a list [...].',
    },
    "fr": {
        "app": "Keel",
        "skip": "Aller au contenu",
        "inbox": "Boîte de réception",
        "sign_in": "Se connecter",
        "sign_out": "Se déconnecter",
        "login": "E-mail",
        "password": "Mot de passe",
        "organisation": "Organisation (seulement si votre e-mail appartient à plusieurs)",
        "code": "Code de votre application d'authentification (ou un code de secours)",
        "code_title": "Second facteur",
        "code_help": (
            "Votre organisation demande un second facteur : saisissez les six chiffres de votre application."
        ),
        "continue": "Continuer",
        "signed_out": "Vous êtes déconnecté.",
        "session_over": "Votre session a pris fin : reconnectez-vous.",
        "inbox_title": "Mes tâches ouvertes",
        "inbox_help": (
            "Les tâches qui vous sont assignées, à vous ou à l'un de vos rôles, les retards d'abord."
        ),
        "inbox_empty": (
            "Rien ne vous attend. Les nouvelles tâches apparaissent ici quand un processus vous sollicite."
        ),
        "inbox_filtered": "Aucune de vos tâches ouvertes ne correspond : choisissez \u00ab tous \u00bb "
        "pour tout voir.",
        "due_overdue": "en retard",
        "due_today": "à faire aujourd'hui au plus tard",
        "due_week": "à faire sous 7 jours",
        "order": "Tri",
        "order_due": "échéance, retards d'abord",
        "order_newest": "les plus récentes d'abord",
        "task": "Tâche",
        "process": "Processus",
        "definition": "Définition",
        "business_key": "Clé métier",
        "started": "Démarré",
        "due": "Échéance",
        "no_due": "sans échéance",
        "overdue": "en retard",
        "assignee": "Assignée à",
        "input": "Données de départ du processus",
        "decide": "Votre décision",
        "comment": "Commentaire (facultatif)",
        "decided": "Décision enregistrée.",
        "required": "obligatoire",
        "not_found_title": "Introuvable",
        "not_found": "Il n'y a rien ici, ou cela appartient à une autre organisation.",
        "not_found_hint": "Revenez à votre boîte de réception.",
        "forbidden_title": "Accès refusé",
        "forbidden": "Votre rôle ne permet pas d'ouvrir cette page.",
        "forbidden_hint": (
            "Demandez la permission à un administrateur, ou revenez à votre boîte de réception."
        ),
        "language": "English",
        "processes": "Processus",
        "records": "Fiches",
        "bookings": "Réservations",
        "dashboards": "Tableaux de bord",
        "documents": "Documents",
        "invoices": "Factures",
        "admin": "Administration",
        "processes_empty": "Aucun processus ne correspond. Changez les filtres, ou démarrez-en un par l'API.",
        "any": "tous",
        "status": "État",
        "filter": "Filtrer",
        "status_running": "en cours",
        "status_completed": "terminé",
        "status_failed": "en échec",
        "status_cancelled": "annulé",
        "status_terminated": "arrêté",
        "status_timed_out": "expiré",
        "ended": "Terminé le",
        "current_step": "Étape en cours",
        "error": "Erreur",
        "temporal_ui": "Ouvrir dans l'interface Temporal",
        "result": "Résultat",
        "timeline": "Chronologie",
        "no_tasks": "Aucune tâche humaine pour l'instant.",
        "task_open": "en attente",
        "task_completed": "décidée",
        "task_expired": "expirée",
        "task_cancelled": "annulée",
        "breaches": "Échéances manquées",
        "cancel": "Annuler le processus",
        "cancelled_note": "Annulation demandée.",
        "start": "Démarrer un processus",
        "flow": "Étapes de la définition",
        "diagram": "Diagramme",
        "diagram_help": "L'étape en cours est encadrée en orange, les étapes déjà exécutées en vert.",
        "mermaid": "La définition en organigramme Mermaid",
        "steps_run": "Étapes exécutées",
        "step": "Étape",
        "detail": "Détail",
        "optional": "facultatif",
        "json_help": 'Écrit en JSON, par ex. {"value": "10.00", "currency": "EUR"} ou une liste [...].',
    },
}


def extend(catalog: dict[str, dict[str, str]]) -> None:
    """Adds a console area's own words (its module calls this once): both languages, the same keys,
    none already taken by another area."""
    assert set(catalog) == set(LANGUAGES), "every area speaks every language"
    keys = set(catalog["en"])
    assert all(set(words_) == keys for words_ in catalog.values()), "the same keys in each language"
    taken = keys & set(MESSAGES["en"])
    assert not taken, f"words already defined: {sorted(taken)}"
    for lang, words_ in catalog.items():
        MESSAGES[lang].update(words_)


def language(request: Request) -> str:
    """The reader's language: the switch's cookie, else the first the browser asks for that we speak."""
    chosen = request.cookies.get(COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(",")[:20]:
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def words(lang: str) -> dict[str, str]:
    return MESSAGES.get(lang, MESSAGES["en"])


def when(moment: datetime | str | None, lang: str, zone: str) -> str:
    """``moment`` (an ISO 8601 text too, as a workflow's state answers) in the reader's zone, as their
    language writes a date and time."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return format_datetime(moment.astimezone(ZoneInfo(zone)), "medium", locale=lang) + f" ({zone})"


def day(moment: date | str | None, lang: str) -> str:
    """A calendar date (an invoice's due date) as the reader's language writes it."""
    if moment is None:
        return ""
    return format_date(date.fromisoformat(moment) if isinstance(moment, str) else moment, locale=lang)


def money(amount: Decimal | str | None, currency: str, lang: str) -> str:
    """An amount (the API's decimal text, e.g. "1234.50") in its currency, as the reader's language
    writes it: "€1,234.50" in English, "1 234,50 €" in French."""
    if amount is None:
        return ""
    return format_currency(Decimal(amount), currency, locale=lang)


def size(count: int | None, lang: str) -> str:
    """A byte count in kB or MB (decimal units), in the reader's number format."""
    if count is None:
        return ""
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if count >= scale:
            return f"{format_decimal(round(count / scale, 1), locale=lang)} {unit}"
    return f"{count} B"
