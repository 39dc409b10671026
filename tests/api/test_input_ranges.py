"""Numbers a column cannot hold are a 422, not a database error surfacing as a 500."""

from __future__ import annotations

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create
from tests.api.test_search import eventually, ids, search, searchable


def test_a_click_position_beyond_any_page_is_refused(admin: Api) -> None:
    searchable(admin)
    record = create(admin, {"name": "Pia", "city": "Paris"})
    eventually(lambda: ids(search(admin, "paris")) == [record["id"]])
    query_id = search(admin, "paris").json()["meta"]["query_id"]
    for position in (2**31, 2**63, 10**30):
        body = {"query_id": query_id, "entity_id": record["id"], "position": position}
        err = error_of(admin.post("/api/v1/search/clicks", json=body), 422, "validation_failed")
        assert [f["field"] for f in err["details"]["fields"]] == ["position"]
    assert data(admin.get("/api/v1/search/analytics"))["top_queries"][0]["clicks"] == 0
    body = {"query_id": query_id, "entity_id": record["id"], "position": 1_000_000}
    data(admin.post("/api/v1/search/clicks", json=body), 201)
