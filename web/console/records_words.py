"""The records area's words, in English and French (``{n}``, ``{type}``… are filled in by the page)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "records_types_help": "The kinds of record your organisation keeps. Open one to search its records.",
        "records_types_empty": (
            "No kind of record is defined yet. An administrator defines one with "
            "POST /api/v1/entity-types (a name and the JSON Schema of its attributes); "
            "its records are then listed here."
        ),
        "records_kind": "Kind of record",
        "records_description": "Description",
        "records_search": "Search",
        "records_search_label": "Search these records",
        "records_search_help": "Results follow as you type; small spelling mistakes are forgiven.",
        "records_found": "Records found: {n}",
        "records_newest": "The newest {n} are shown: search to narrow them down.",
        "records_empty": "No record of this kind yet. Create one with POST /api/v1/entities/{type}.",
        "records_no_match": "Nothing matches. Check the spelling, use fewer words, or clear the filters.",
        "records_not_searchable": (
            "This kind of record has no search settings, so its newest records are listed without "
            'search. An administrator can add them: PUT /api/v1/entity-types/{type} with "search": '
            '{"fields": [...], "facets": [...]}.'
        ),
        "records_search_down": (
            "Search is unavailable right now, so the newest records are shown. Try again shortly."
        ),
        "records_search_failed": "The search failed: {error}",
        "records_facets": "Refine",
        "records_clear": "Clear the filters",
        "records_chosen": "chosen",
        "records_yes": "yes",
        "records_no": "no",
        "records_none": "(empty)",
        "records_record": "Record",
        "records_attributes": "Attributes",
        "records_other_attributes": "Other attributes (not in the type's schema)",
        "records_save": "Save changes",
        "records_saved": "Your changes are saved: the history below shows them.",
        "records_conflict": (
            "Someone changed this record since you opened it. Reload the page to see their change, "
            "then make yours again."
        ),
        "records_read_only": "You may read this record; changing it needs the entities:write permission.",
        "records_external_id": "External id",
        "records_created": "Created",
        "records_updated": "Last changed",
        "records_version_now": "Version",
        "records_history": "History",
        "records_history_help": "Every version, newest first, with what changed in it.",
        "records_history_more": "Only the newest {n} versions are shown; the API lists them all: {path}",
        "records_version": "Version {n}",
        "records_op_created": "created",
        "records_op_updated": "changed",
        "records_op_deleted": "deleted",
        "records_op_restored": "restored",
        "records_op_reverted": "reverted",
        "records_op_merged": "merged",
        "records_by": "by",
        "records_by_api_key": "an API key",
        "records_by_system": "Keel",
        "records_field": "Attribute",
        "records_before": "Before",
        "records_after": "After",
        "records_no_change": "Nothing changed in this version.",
        "records_revert": "Revert to version {n}",
        "records_reverted": "The record is back to version {n}, as a new version at the top of its history.",
        "records_relationships": "Relationships",
        "records_relationships_empty": (
            "No relationship yet. Relate this record to another with "
            "POST /api/v1/entities/{type}/{id}/relationships/{relation_type}."
        ),
        "records_relation": "Relation",
        "records_direction": "Direction",
        "records_other": "Other record",
        "records_outgoing": "from this record",
        "records_incoming": "to this record",
        "records_since": "Since",
        "records_reload": "Reload the page",
    },
    "fr": {
        "records_types_help": (
            "Les types de fiches que tient votre organisation. Ouvrez-en un pour chercher ses fiches."
        ),
        "records_types_empty": (
            "Aucun type de fiche n'est encore défini. Un administrateur en définit un avec "
            "POST /api/v1/entity-types (un nom et le schéma JSON de ses attributs) ; "
            "ses fiches sont ensuite listées ici."
        ),
        "records_kind": "Type de fiche",
        "records_description": "Description",
        "records_search": "Chercher",
        "records_search_label": "Chercher parmi ces fiches",
        "records_search_help": (
            "Les résultats suivent votre saisie ; les petites fautes d'orthographe sont pardonnées."
        ),
        "records_found": "Fiches trouvées : {n}",
        "records_newest": "Les {n} plus récentes sont affichées : cherchez pour affiner.",
        "records_empty": "Aucune fiche de ce type. Créez-en une avec POST /api/v1/entities/{type}.",
        "records_no_match": (
            "Rien ne correspond. Vérifiez l'orthographe, mettez moins de mots, ou retirez les filtres."
        ),
        "records_not_searchable": (
            "Ce type de fiche n'a pas de réglages de recherche : ses fiches les plus récentes sont "
            "listées sans recherche. Un administrateur peut les ajouter : PUT /api/v1/entity-types/{type} "
            'avec "search": {"fields": [...], "facets": [...]}.'
        ),
        "records_search_down": (
            "La recherche est indisponible pour l'instant : les fiches les plus récentes sont affichées. "
            "Réessayez dans un moment."
        ),
        "records_search_failed": "La recherche a échoué : {error}",
        "records_facets": "Affiner",
        "records_clear": "Retirer les filtres",
        "records_chosen": "choisi",
        "records_yes": "oui",
        "records_no": "non",
        "records_none": "(vide)",
        "records_record": "Fiche",
        "records_attributes": "Attributs",
        "records_other_attributes": "Autres attributs (hors du schéma du type)",
        "records_save": "Enregistrer les modifications",
        "records_saved": "Vos modifications sont enregistrées : l'historique ci-dessous les montre.",
        "records_conflict": (
            "Quelqu'un a modifié cette fiche depuis que vous l'avez ouverte. Rechargez la page pour voir "
            "sa modification, puis refaites la vôtre."
        ),
        "records_read_only": (
            "Vous pouvez lire cette fiche ; la modifier demande la permission entities:write."
        ),
        "records_external_id": "Identifiant externe",
        "records_created": "Créée le",
        "records_updated": "Modifiée le",
        "records_version_now": "Version",
        "records_history": "Historique",
        "records_history_help": "Chaque version, la plus récente d'abord, avec ce qui y a changé.",
        "records_history_more": (
            "Seules les {n} versions les plus récentes sont affichées ; l'API les liste toutes : {path}"
        ),
        "records_version": "Version {n}",
        "records_op_created": "créée",
        "records_op_updated": "modifiée",
        "records_op_deleted": "supprimée",
        "records_op_restored": "restaurée",
        "records_op_reverted": "rétablie",
        "records_op_merged": "fusionnée",
        "records_by": "par",
        "records_by_api_key": "une clé d'API",
        "records_by_system": "Keel",
        "records_field": "Attribut",
        "records_before": "Avant",
        "records_after": "Après",
        "records_no_change": "Rien n'a changé dans cette version.",
        "records_revert": "Revenir à la version {n}",
        "records_reverted": (
            "La fiche est revenue à la version {n}, comme une nouvelle version en tête de son historique."
        ),
        "records_relationships": "Relations",
        "records_relationships_empty": (
            "Aucune relation pour l'instant. Reliez cette fiche à une autre avec "
            "POST /api/v1/entities/{type}/{id}/relationships/{relation_type}."
        ),
        "records_relation": "Relation",
        "records_direction": "Sens",
        "records_other": "Autre fiche",
        "records_outgoing": "depuis cette fiche",
        "records_incoming": "vers cette fiche",
        "records_since": "Depuis le",
        "records_reload": "Recharger la page",
    },
}
