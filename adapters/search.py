"""The search index (Typesense) behind a small surface: collections, aliases, documents, searches.

Callers name aliases and collections; which ones belong to which tenant is decided by the domain
(``domain.search.indexing.alias_name``), from the authenticated tenant, never from a request.
Every failure to reach Typesense becomes :class:`SearchUnavailable`, so callers need not know
the client's exception zoo.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar, cast

import httpx
import typesense
from typesense import exceptions as ts

from keel.settings import Settings

IMPORT_BATCH = 2000
MULTI_SEARCH_LIMIT = 50  # Typesense's default cap on searches per multi_search request
T = TypeVar("T")

# Failures that say "Typesense is not there (or not well)"; retrying later can fix them.
_DOWN: tuple[type[Exception], ...] = (
    ts.ServiceUnavailable,
    ts.ServerError,
    ts.HTTPStatus0Error,
    ts.Timeout,
    ts.RequestUnauthorized,
    httpx.HTTPError,
    OSError,
    ts.TypesenseClientError,
    json.JSONDecodeError,
)


class SearchUnavailable(Exception):
    """Typesense is unreachable or failing; the operation may succeed later."""


class SearchRejected(Exception):
    """Typesense refused a request as malformed (a query that does not fit the collection)."""


class StaleIndex(SearchRejected):
    """The collection lacks a field the query names: it predates the type's current settings."""


class SearchIndex:
    def __init__(self, url: str, api_key: str, *, timeout: float = 2.0) -> None:
        # No client-side retries: the API answers 503 at once, and workers retry through Temporal.
        self.client = typesense.Client(
            {
                "nodes": [url],
                "api_key": api_key,
                "connection_timeout_seconds": timeout,
                "num_retries": 0,
                "retry_interval_seconds": 0.1,
                "healthcheck_interval_seconds": 1,
            }
        )

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout: float | None = None) -> SearchIndex:
        if not settings.typesense_url or settings.typesense_api_key is None:
            raise SearchUnavailable("search is not configured (KEEL_TYPESENSE_URL, KEEL_TYPESENSE_API_KEY)")
        return cls(
            settings.typesense_url,
            settings.typesense_api_key.get_secret_value(),
            timeout=timeout or settings.typesense_timeout_seconds,
        )

    def close(self) -> None:
        self.client.api_call.close()

    # -- collections and aliases ------------------------------------------------------------------

    def create_collection(self, name: str, fields: list[dict[str, Any]]) -> None:
        """A fresh, empty collection; a leftover of the same name (an interrupted build) is dropped."""
        self.drop_collection(name)
        schema = {"name": name, "fields": fields, "default_sorting_field": "created_at"}
        _call(lambda: self.client.collections.create(cast(Any, schema)))

    def drop_collection(self, name: str) -> None:
        with contextlib.suppress(ts.ObjectNotFound):
            _call(lambda: self.client.collections[name].delete())

    def alias_target(self, alias: str) -> str | None:
        try:
            return str(_call(lambda: self.client.aliases[alias].retrieve())["collection_name"])
        except ts.ObjectNotFound:
            return None

    def point_alias(self, alias: str, collection: str) -> None:
        """Atomic on the server: searches see the old collection, then the new one, never neither."""
        _call(lambda: self.client.aliases.upsert(alias, {"collection_name": collection}))

    def drop_alias(self, alias: str) -> None:
        with contextlib.suppress(ts.ObjectNotFound):
            _call(lambda: self.client.aliases[alias].delete())

    def count(self, collection: str) -> int:
        """Documents in a collection (or the one an alias points at); 0 when there is none."""
        try:
            return int(_call(lambda: self.client.collections[collection].retrieve())["num_documents"])
        except ts.ObjectNotFound:
            return 0

    def fields(self, collection: str) -> dict[str, dict[str, Any]]:
        """The fields (name -> Typesense field) of a collection, or of the one an alias points at."""
        try:
            schema = _call(lambda: self.client.collections[collection].retrieve())
        except ts.ObjectNotFound:
            return {}
        return {str(f["name"]): dict(f) for f in schema.get("fields", [])}

    # -- documents ---------------------------------------------------------------------------------

    def upsert(self, collection: str, documents: Sequence[dict[str, Any]]) -> list[str]:
        """Insert or replace documents in batches; returns the errors of documents Typesense refused."""
        failures: list[str] = []
        docs = self.client.collections[collection].documents
        # Values that do not fit a field's type are coerced or dropped, not the whole document.
        params: Any = {"action": "upsert", "dirty_values": "coerce_or_drop"}
        for start in range(0, len(documents), IMPORT_BATCH):
            chunk: Any = list(documents[start : start + IMPORT_BATCH])
            results: list[Any] = _call(lambda: docs.import_(chunk, params))  # noqa: B023
            for doc, result in zip(chunk, results, strict=False):
                if not result.get("success"):
                    failures.append(f"{doc.get('id')}: {result.get('error')}")
        return failures

    def delete(self, collection: str, ids: Iterable[str]) -> int:
        wanted = [i for i in ids if i]
        docs = self.client.collections[collection].documents
        deleted = 0
        for start in range(0, len(wanted), 250):
            params: Any = {"filter_by": f"id:[{','.join(wanted[start : start + 250])}]"}
            try:
                result = _call(lambda: docs.delete(params))  # noqa: B023
            except ts.ObjectNotFound:
                return deleted
            deleted += int(result.get("num_deleted", 0))
        return deleted

    # -- searching ---------------------------------------------------------------------------------

    def search(self, collection: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """One search; None when the collection (or alias) does not exist yet."""
        docs = self.client.collections[collection].documents
        try:
            return cast(dict[str, Any], _call(lambda: docs.search(cast(Any, params))))
        except ts.ObjectNotFound as exc:
            if _names_a_field(exc):
                raise StaleIndex(str(exc)) from exc
            return None

    def multi_search(self, searches: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """Several searches in one request; a missing collection gives None at its place."""
        response: Any = _call(lambda: self.client.multi_search.perform({"searches": cast(Any, searches)}, {}))
        out: list[dict[str, Any] | None] = []
        for result in response["results"]:
            code = result.get("code")
            if code is None:
                out.append(result)
            elif code == 404 and "Could not find" not in str(result.get("error", "")):
                out.append(None)
            elif code in (400, 404):
                raise StaleIndex(str(result.get("error")))
            else:
                raise SearchUnavailable(f"Typesense answered {code}: {result.get('error')}")
        return out

    def healthy(self) -> bool:
        try:
            return bool(_call(lambda: self.client.operations.is_healthy()))
        except SearchUnavailable:
            return False


def _names_a_field(exc: Exception) -> bool:
    # A missing collection says "Not found."; a query naming an unknown field says "Could not find …".
    return "Could not find" in str(exc)


def _call(fn: Callable[[], T]) -> T:
    """Run one client call; connection and server failures become SearchUnavailable, malformed
    requests SearchRejected. ObjectNotFound passes through for the caller to interpret."""
    try:
        return fn()
    except (ts.ObjectNotFound, ts.ObjectAlreadyExists):
        raise
    except (ts.RequestMalformed, ts.ObjectUnprocessable) as exc:
        raise SearchRejected(str(exc)) from exc
    except _DOWN as exc:
        raise SearchUnavailable(f"Typesense: {type(exc).__name__}: {exc}") from exc
