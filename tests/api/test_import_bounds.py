"""Imported rows get the checks a request body gets: no NaN or infinities, no NUL or lone surrogates,
bounded nesting. A bad row fails alone, with its reason; the rest of the file is imported."""

from __future__ import annotations

import json

from tests.api.conftest import Api, data
from tests.api.entity_helpers import customer_type
from tests.api.test_imports import records, upload, wait_done

GOOD = '{"name": "Good"}'


def test_jsonl_rows_a_body_could_not_carry_fail_alone(admin: Api) -> None:
    customer_type(admin)
    lines = [
        GOOD,
        '{"name": "Nan", "age": NaN}',
        '{"name": "Inf", "age": 1e999}',
        '{"name": "Nul\\u0000"}',
        '{"name": "Lone \\ud800"}',
        '{"name": "Deep", "tags": ' + "[" * 5000 + "]" * 5000 + "}",
        '{"name": "Deep2", "tags": ' + "[" * 60 + "]" * 60 + "}",
        '{"name": "Last"}',
    ]
    r = upload(admin, "customer", "\n".join(lines).encode(), filename="people.jsonl")
    assert r.status_code == 202, r.text
    done = wait_done(admin, r.headers["location"])
    assert (done["status"], done["rows_ok"], done["rows_failed"]) == ("completed", 2, 6), done
    assert set(records(admin)) == {"Good", "Last"}
    failed = admin.get(f"{r.headers['location']}/errors", params={"format": "jsonl"}).text.splitlines()
    assert [json.loads(x)["line"] for x in failed] == [2, 3, 4, 5, 6, 7]


def test_csv_cells_with_nul_or_a_too_deep_list_fail_alone(admin: Api) -> None:
    customer_type(admin)
    deep = '"' + "[" * 5000 + "]" * 5000 + '"'
    content = f"name,city,tags\nGood,Paris,\nBad\x00,Lyon,\nDeep,Oslo,{deep}\nLast,Rome,\n".encode()
    r = upload(admin, "customer", content)
    assert r.status_code == 202, r.text
    done = wait_done(admin, r.headers["location"])
    assert (done["status"], done["rows_ok"], done["rows_failed"]) == ("completed", 2, 2), done
    assert set(records(admin)) == {"Good", "Last"}
    assert data(admin.get(r.headers["location"]))["rows_failed"] == 2


def test_a_mapping_nested_too_deep_is_a_422(admin: Api) -> None:
    customer_type(admin)
    mapping = "[" * 100_000 + "]" * 100_000
    r = upload(admin, "customer", b"name\nA\n", mapping=mapping)
    assert r.status_code == 422 and r.json()["error"]["details"]["fields"][0]["field"] == "mapping", r.text
    assert records(admin) == {}
