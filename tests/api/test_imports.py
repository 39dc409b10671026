"""File imports through the live API and worker: CSV and JSON Lines, broken rows with reasons, upsert,
encodings, progress and the failed-rows report."""

from __future__ import annotations

import csv
import io
import json
import time
from typing import Any

from tests.api.conftest import Api, data, error_of
from tests.api.entity_helpers import create, customer_type

CSV = (
    "name,email,age,city,vip,tags,external_id\n"
    'Zoë,zoe@example.com,31,Paris,true,"[""a"",""b""]",c-1\n'
    "Ann,ann@example.com,not-a-number,Lyon,false,,c-2\n"  # age is not an integer
    "Bob,bob@example.com,40,Nice\n"  # too few columns
    "Cid,ZOE@example.com,22,Nice,no,,c-3\n"  # same email as line 2 (unique, case-folded)
    "Dan,dan@example.com,50,Metz,yes,,c-1\n"  # external_id repeats line 2
    '"Eve, the second",eve@example.com,,"Multi\nline",,,c-5\n'
)


def wait_done(admin: Api, location: str, timeout: float = 30) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        out = data(admin.get(location))
        if out["status"] in ("completed", "failed"):
            return out
        assert time.monotonic() < deadline, out
        time.sleep(0.1)


def upload(admin: Api, type_name: str, content: bytes, filename: str = "people.csv", **fields: str) -> Any:
    return admin.post(
        f"/api/v1/entities/{type_name}/import", files={"file": (filename, content)}, data=fields
    )


def records(admin: Api, type_name: str = "customer") -> dict[str, dict[str, Any]]:
    rows = data(admin.get(f"/api/v1/entities/{type_name}", params={"limit": 200}))
    return {r["attributes"]["name"]: r for r in rows}


def test_a_csv_import_creates_the_good_rows_and_reports_each_bad_one(admin: Api) -> None:
    customer_type(admin)
    r = upload(admin, "customer", CSV.encode())
    started = data(r, 202)
    assert r.headers["location"] == f"/api/v1/imports/{started['id']}"
    assert started["status"] == "pending" and started["format"] == "csv" and started["mode"] == "insert"
    done = wait_done(admin, r.headers["location"])
    assert done["status"] == "completed", done
    assert (done["rows_total"], done["rows_read"], done["rows_ok"], done["rows_failed"]) == (6, 6, 2, 4)
    assert done["rows_pending"] == 0 and done["duration_ms"] is not None and done["finished_at"]

    got = records(admin)
    assert set(got) == {"Zoë", "Eve, the second"}
    zoe = got["Zoë"]
    assert zoe["attributes"] == {
        "name": "Zoë",
        "email": "zoe@example.com",
        "age": 31,
        "city": "Paris",
        "vip": True,
        "tags": ["a", "b"],
    }
    assert zoe["external_id"] == "c-1" and zoe["status"] == "active" and zoe["version"] == 1
    assert got["Eve, the second"]["attributes"]["city"] == "Multi\nline"
    history = data(admin.get(f"/api/v1/entities/customer/{zoe['id']}/history"))
    assert [h["operation"] for h in history] == ["created"]

    report = admin.get(f"/api/v1/imports/{started['id']}/errors", params={"format": "jsonl"})
    assert report.status_code == 200 and report.headers["content-type"].startswith("application/x-ndjson")
    failures = {f["line"]: f for f in map(json.loads, report.text.splitlines())}
    assert sorted(failures) == [3, 4, 5, 6]
    assert failures[3]["errors"][0]["field"] == "/attributes/age"
    assert failures[3]["raw"] == "Ann,ann@example.com,not-a-number,Lyon,false,,c-2"
    assert failures[4]["errors"] == [{"field": "/", "message": "expected 7 columns, found 4"}]
    assert failures[5]["errors"][0]["field"] == "/attributes/email"
    assert failures[5]["errors"][0]["message"] == "same value as line 2"
    assert failures[6]["errors"] == [{"field": "/external_id", "message": "duplicate of line 2 in the file"}]

    as_csv = admin.get(f"/api/v1/imports/{started['id']}/errors")
    assert as_csv.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(as_csv.text)))
    assert table[0] == ["line", "raw", "errors"] and [row[0] for row in table[1:]] == ["3", "4", "5", "6"]
    assert "expected 7 columns" in table[2][2]

    listed = data(admin.get("/api/v1/imports"))
    assert listed[0]["id"] == started["id"] and listed[0]["type"] == "customer"


def test_json_lines_with_a_mapping_and_broken_lines(admin: Api) -> None:
    customer_type(admin)
    lines = [
        json.dumps({"full_name": "Ann", "mail": "ann@example.com", "ref": "j-1", "status": "inactive"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"full_name": "Bob", "mail": "bob@example.com", "age": -3}),
        "",
        json.dumps({"full_name": "Cid", "mail": "cid@example.com", "shoe_size": 44}),
        json.dumps({"full_name": "Dan", "mail": "dan@example.com", "tags": ["x"]}),
    ]
    mapping = {"full_name": "name", "mail": "email", "ref": "external_id"}
    r = admin.post(
        "/api/v1/entities/customer/import",
        params={"mapping": json.dumps(mapping)},
        content="\n".join(lines).encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    started = data(r, 202)
    assert started["format"] == "jsonl" and started["mapping"] == mapping
    done = wait_done(admin, r.headers["location"])
    assert (done["rows_read"], done["rows_ok"], done["rows_failed"]) == (6, 2, 4)
    got = records(admin)
    assert set(got) == {"Ann", "Dan"}
    assert got["Ann"]["status"] == "inactive" and got["Ann"]["external_id"] == "j-1"
    report = admin.get(f"/api/v1/imports/{started['id']}/errors", params={"format": "jsonl"})
    failures = {f["line"]: f["errors"] for f in map(json.loads, report.text.splitlines())}
    assert failures[2][0]["message"].startswith("not JSON")
    assert failures[3] == [{"field": "/", "message": "not a JSON object"}]
    assert failures[4][0]["field"] == "/attributes/age"
    assert failures[6] == [{"field": "/shoe_size", "message": "customer has no attribute 'shoe_size'"}]


def test_upsert_updates_records_by_external_id(admin: Api) -> None:
    customer_type(admin)
    kept = create(admin, {"name": "Ann", "email": "ann@example.com", "age": 30}, external_id="u-1")
    same = create(admin, {"name": "Bob", "email": "bob@example.com"}, external_id="u-2")
    content = (
        "external_id,name,email,age\n"
        "u-1,Ann,ann@example.com,31\n"  # changed: a new version
        "u-2,Bob,bob@example.com,\n"  # unchanged: no new version
        "u-3,Cid,cid@example.com,20\n"  # new
        ",Dan,dan@example.com,20\n"  # upsert needs an external_id
    )
    r = upload(admin, "customer", content.encode(), mode="upsert")
    done = wait_done(admin, r.headers["location"])
    assert (done["mode"], done["rows_ok"], done["rows_failed"]) == ("upsert", 3, 1)
    got = records(admin)
    assert set(got) == {"Ann", "Bob", "Cid"}
    assert (
        got["Ann"]["id"] == kept["id"]
        and got["Ann"]["version"] == 2
        and got["Ann"]["attributes"]["age"] == 31
    )
    assert got["Bob"]["id"] == same["id"] and got["Bob"]["version"] == 1
    history = data(admin.get(f"/api/v1/entities/customer/{kept['id']}/history"))
    assert [h["operation"] for h in history] == ["updated", "created"]
    assert history[0]["diff"] == {"attributes.age": [30, 31]}

    # Insert mode refuses an external_id that is taken.
    r = upload(admin, "customer", b"external_id,name\nu-1,Again\n")
    done = wait_done(admin, r.headers["location"])
    assert (done["rows_ok"], done["rows_failed"]) == (0, 1)
    assert records(admin)["Ann"]["attributes"]["name"] == "Ann"


def test_bad_files_and_options_are_refused_at_once_and_nothing_is_created(admin: Api) -> None:
    customer_type(admin)
    latin1 = "name,city\nZoë,Besançon\n".encode("latin-1")
    err = error_of(upload(admin, "customer", latin1), 422, "encoding")
    assert err["details"]["offset"] == latin1.index(b"\xeb")
    assert err["details"]["fields"][0]["field"] == "file"
    bom = b"\xef\xbb\xbf" + "name\nZoë\n".encode()
    assert wait_done(admin, upload(admin, "customer", bom).headers["location"])["rows_ok"] == 1

    error_of(upload(admin, "nothing", b"name\nA\n"), 404, "not_found")
    err = error_of(upload(admin, "customer", b"name,shoe_size\nA,4\n"), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "columns.shoe_size"
    err = error_of(
        upload(
            admin, "customer", b"name,size\nA,4\n", mapping=json.dumps({"size": "height", "nope": "name"})
        ),
        422,
        "validation_failed",
    )
    assert {f["field"] for f in err["details"]["fields"]} == {"mapping.size", "mapping.nope"}
    # A column mapped to null is dropped.
    ok = upload(admin, "customer", b"name,size\nB,4\n", mapping=json.dumps({"size": None}))
    assert wait_done(admin, ok.headers["location"])["rows_ok"] == 1
    error_of(upload(admin, "customer", b"name\nA\n", filename="people.txt"), 422, "validation_failed")
    error_of(upload(admin, "customer", b"name\nA\n", mode="merge"), 422, "validation_failed")
    error_of(upload(admin, "customer", b""), 422, "validation_failed")
    error_of(upload(admin, "customer", b"name,name\nA,B\n"), 422, "validation_failed")
    error_of(upload(admin, "customer", b"name\nA\n", mapping="[1]"), 422, "validation_failed")
    assert set(records(admin)) == {"Zoë", "B"}


def test_imports_are_private_to_their_tenant(admin: Api, make_tenant, api) -> None:
    customer_type(admin)
    r = upload(admin, "customer", b"name\nA\n")
    wait_done(admin, r.headers["location"])
    other = api(make_tenant().api_key)
    error_of(other.get(r.headers["location"]), 404, "not_found")
    error_of(other.get(r.headers["location"] + "/errors"), 404, "not_found")
    assert data(other.get("/api/v1/imports")) == []


def test_the_cli_uploads_and_follows_the_import(
    admin: Api, tenant, live, tmp_path, monkeypatch, capsys
) -> None:
    from cli.main import main

    customer_type(admin)
    path = tmp_path / "people.csv"
    path.write_text("full,email\nAnn,ann@example.com\nBob,not-an-email\n")
    monkeypatch.setenv("KEEL_API_KEY", tenant.api_key)
    code = main(["import", "customer", str(path), "--mapping", "full=name", "--api-url", live.url])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "completed: 1 imported, 1 failed of 2 rows" in out and "/errors?format=csv" in out
    assert "100% 2/2 rows" in err
    assert set(records(admin)) == {"Ann"}
    assert main(["import", "nothing", str(path), "--api-url", live.url]) == 1
    assert "entity type nothing not found" in capsys.readouterr().err
