"""Request bodies nobody can store are a 422 naming the field, decided before the route parses them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api, data, error_of

DOC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "doc": {}},
    "required": ["name"],
}


def _doc_type(admin: Api) -> None:
    data(admin.post("/api/v1/entity-types", json={"name": "doc", "schema": DOC_SCHEMA}), 201)


def _records(admin: Api) -> list[Any]:
    result: list[Any] = data(admin.get("/api/v1/entities/doc"))
    return result


def _post_raw(admin: Api, path: str, raw: bytes) -> Any:
    return admin.post(path, content=raw, headers={"content-type": "application/json"})


def _field(response: Any) -> str:
    err = error_of(response, 422, "validation_failed")
    fields = err["details"]["fields"]
    assert len(fields) == 1
    field: str = fields[0]["field"]
    return field


def test_deep_nesting_is_refused_before_parsing(admin: Api, anonymous: Api) -> None:
    _doc_type(admin)
    deep = b'{"name": "x", "doc": ' + b"[" * 300 + b"]" * 300 + b"}"
    assert _field(_post_raw(admin, "/api/v1/entities/doc", b'{"attributes": ' + deep + b"}")) == "body"
    # 5,000 levels used to exhaust the parser's recursion (a 500) even on the public login route.
    huge = b"[" * 5000 + b"]" * 5000
    assert _field(_post_raw(anonymous, "/api/v1/auth/token", huge)) == "body"
    assert _field(_post_raw(admin, f"/api/v1/resources/{uuid.uuid4()}/calendar-imports", huge)) == "body"
    assert _records(admin) == []
    # Within the limit, the same shape is stored.
    ok = {"name": "ok", "doc": {"a": [[[[{"b": 1}]]]]}}
    data(admin.post("/api/v1/entities/doc", json={"attributes": ok}), 201)
    assert [r["attributes"] for r in _records(admin)] == [ok]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"attributes": {"name": "x", "doc": NaN}}', "/attributes/doc"),
        (b'{"attributes": {"name": "x", "doc": [1, Infinity]}}', "/attributes/doc/1"),
        (b'{"attributes": {"name": "x", "doc": -Infinity}}', "/attributes/doc"),
        (b'{"attributes": {"name": "x", "doc": 1e400}}', "/attributes/doc"),
        (b'{"attributes": {"name": "x", "doc": -2.5E+308}}', "/attributes/doc"),
        (b'{"attributes": {"name": "\\ud800"}}', "/attributes/name"),
        (b'{"attributes": {"name": "a\\udc00b"}}', "/attributes/name"),
        (b'{"attributes": {"name": "a\\u0000b"}}', "/attributes/name"),
        (b'{"attributes": {"name": "x", "doc": {"k\\u0000": 1}}}', "/attributes/doc"),
        (b'{"attributes": {"name": "x", "doc": {"a/b~": "\\u0000"}}}', "/attributes/doc/a~1b~0"),
        (b'{"attributes": {"name": "\xed\xa0\x80"}}', "body"),  # an encoded surrogate, not an escape
    ],
)
def test_values_no_column_holds_are_refused_by_pointer(admin: Api, raw: bytes, field: str) -> None:
    _doc_type(admin)
    assert _field(_post_raw(admin, "/api/v1/entities/doc", raw)) == field
    assert _records(admin) == []


def test_lookalikes_are_accepted(admin: Api) -> None:
    _doc_type(admin)
    raw = (
        b'{"attributes": {"name": "NaN Infinity 1e400 \\\\u0000 \\ud83d\\ude00", '
        b'"doc": [1e300, -1.5e-400, "[[[[", 12345678901234567890]}}'
    )
    record = data(_post_raw(admin, "/api/v1/entities/doc", raw), 201)
    assert record["attributes"]["name"] == "NaN Infinity 1e400 \\u0000 \U0001f600"
    assert record["attributes"]["doc"][2] == "[[[["


def test_malformed_json_stays_a_400(admin: Api) -> None:
    error_of(_post_raw(admin, "/api/v1/entity-types", b"{not json"), 400, "bad_request")
    # Not UTF-8 (Latin-1 bytes): a 400 before any route, those reading the raw body included.
    latin1 = b'{"name": "caf\xe9", "schema": {}}'
    error_of(_post_raw(admin, "/api/v1/entity-types", latin1), 400, "bad_request")
    error_of(
        _post_raw(admin, f"/api/v1/resources/{uuid.uuid4()}/calendar-imports", latin1), 400, "bad_request"
    )
    error_of(
        _post_raw(admin, "/api/v1/entity-types", b'{"name": "x", "schema": ' + b"[" * 10), 400, "bad_request"
    )


def test_nul_in_a_form_field_is_refused(anonymous: Api) -> None:
    r = anonymous.post("/api/v1/auth/token", data={"username": "a\x00@example.com", "password": "x"})
    assert _field(r) == "username"
    r = anonymous.post(
        "/api/v1/auth/token",
        content=b"username=%ff&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert _field(r) == "username"


def test_nul_in_a_multipart_text_field_is_refused(admin: Api) -> None:
    _doc_type(admin)
    r = admin.post(
        "/api/v1/entities/doc/import",
        data={"format": "csv\x00"},
        files={"file": ("d.csv", b"name\nfine\n", "text/csv")},
    )
    assert _field(r) == "format"
    assert _records(admin) == []
