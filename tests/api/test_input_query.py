"""NUL, and bytes that are not UTF-8, in a path or a query: a 422 naming the parameter, on every route."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import customer_type


def _field(response: object) -> str:
    err = error_of(response, 422, "validation_failed")  # type: ignore[arg-type]
    fields = err["details"]["fields"]
    assert len(fields) == 1, fields
    field: str = fields[0]["field"]
    return field


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/users?email=%00", "email"),
        ("/api/v1/users?email=a%00b%40example.com", "email"),
        ("/api/v1/audit?entity_type=%00", "entity_type"),
        ("/api/v1/entities/customer?filter[city]=%00", "filter[city]"),
        ("/api/v1/entities/customer?filter%5Bcity%5D=x%00", "filter[city]"),
        ("/api/v1/entities/customer/autocomplete?q=%00", "q"),
        ("/api/v1/entities/customer/autocomplete?q=%ff", "q"),
        ("/api/v1/entities/customer/autocomplete?q=%ed%a0%80", "q"),  # an encoded surrogate
        ("/api/v1/search/analytics?from=2026-01-01T00:00:00Z%00", "from"),
        ("/api/v1/users?email=ok&limit=%c3", "limit"),
        ("/api/v1/entity-types/%00", "name"),
        ("/api/v1/entity-types/cust%00omer/versions", "name"),
        ("/api/v1/entities/customer/%00", "path"),  # no route takes it: the path is named
    ],
)
def test_nul_and_bad_utf8_are_refused_by_name(admin: Api, url: str, field: str) -> None:
    customer_type(admin)
    assert _field(admin.get(url)) == field


def test_bad_utf8_in_a_path_is_a_422_not_a_500(admin: Api) -> None:
    assert _field(admin.get("/api/v1/entity-types/%ff%fe")) == "path"


def test_nul_in_a_query_changes_nothing(admin: Api) -> None:
    customer_type(admin)
    r = admin.post("/api/v1/entities/customer?mode=%00", json={"attributes": {"name": "x"}})
    assert _field(r) == "mode"
    assert data(admin.get("/api/v1/entities/customer")) == []


def test_ordinary_text_passes(admin: Api) -> None:
    customer_type(admin)
    data(admin.post("/api/v1/entities/customer", json={"attributes": {"name": "Zoë", "city": "Zürich"}}), 201)
    found = data(admin.get("/api/v1/entities/customer?filter[city]=Z%C3%BCrich&x=a+b&flag"))
    assert [r["attributes"]["name"] for r in found] == ["Zoë"]
