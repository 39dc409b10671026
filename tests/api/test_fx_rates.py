"""Exchange rates: set one (upsert), list with filters, import the ECB CSV (all or nothing), and
``convert`` (latest rate on or before a day: direct, inverse, or across EUR)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine

from db.models.billing import FxRate
from db.session import tenant_session
from domain.billing.catalog import fx
from domain.context import TenantContext
from domain.errors import ValidationFailed
from tests.api.conftest import Api, data, error_of
from tests.api.test_billing_catalog_helpers import fields, user_with
from tests.conftest import TenantFixture

ECB = (
    "\ufeffDate,USD,JPY,CYP,GBP,XYZ,\n"
    "2024-01-03,1.0919,155.12,N/A,0.86518,1,\n"
    "2024-01-02,1.0956,155.76,N/A,0.86645,1,\n"
    "\n"
)
CSV = {"Content-Type": "text/csv"}


def rate(**kw: Any) -> dict[str, Any]:
    return {"base": "EUR", "quote": "USD", "rate": "1.0956", "date": "2024-01-02"} | kw


def test_set_rate_upserts_by_base_quote_and_date(admin: Api) -> None:
    first = data(admin.post("/api/v1/fx-rates", json=rate()), 201)
    assert (first["rate"], first["date"], first["source"]) == ("1.0956", "2024-01-02", "api")
    again = data(admin.post("/api/v1/fx-rates", json=rate(rate="1.1")), 200)
    assert (again["id"], again["rate"]) == (first["id"], "1.1")
    assert [r["rate"] for r in data(admin.get("/api/v1/fx-rates"))] == ["1.1"]
    audit = data(admin.get("/api/v1/audit", params={"entity_type": "fx_rate", "entity_id": first["id"]}))
    assert [a["action"] for a in audit] == ["fx_rate.set", "fx_rate.set"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quote": "EUR"}, "quote"),
        ({"rate": "0"}, "rate"),
        ({"rate": "-1.2"}, "rate"),
        ({"rate": "abc"}, "rate"),
        ({"rate": "1.1234567890123"}, "rate"),
        ({"rate": 1.1}, "rate"),
        ({"date": "2024-13-01"}, "date"),
        ({"base": "XXX"}, "base"),
        ({"base": None}, "base"),
        ({"source": "ecb"}, "source"),
    ],
)
def test_bad_rates_are_refused(admin: Api, change: dict[str, Any], field: str) -> None:
    error = error_of(admin.post("/api/v1/fx-rates", json=rate(**change)), 422, "validation_failed")
    assert fields(error) == [field], error
    assert data(admin.get("/api/v1/fx-rates")) == []


def test_import_the_ecb_csv_then_filter_and_page(admin: Api) -> None:
    counts = data(admin.post("/api/v1/fx-rates/import", content=ECB.encode(), headers=CSV))
    assert counts == {
        "dates": 2,
        "rates": 6,  # USD, JPY and GBP on two days; CYP's N/A skipped; XYZ is no currency
        "created": 6,
        "updated": 0,
        "not_available": 2,
        "ignored_columns": ["XYZ"],
    }
    again = data(admin.post("/api/v1/fx-rates/import", content=ECB.encode(), headers=CSV))
    assert (again["created"], again["updated"]) == (0, 6)

    def rates(**params: Any) -> list[tuple[str, str, str]]:
        return [
            (r["quote"], r["date"], r["rate"]) for r in data(admin.get("/api/v1/fx-rates", params=params))
        ]

    assert sorted(rates(quote="usd")) == [("USD", "2024-01-02", "1.0956"), ("USD", "2024-01-03", "1.0919")]
    assert sorted(rates(base="EUR", **{"from": "2024-01-03"})) == [
        ("GBP", "2024-01-03", "0.86518"),
        ("JPY", "2024-01-03", "155.12"),
        ("USD", "2024-01-03", "1.0919"),
    ]
    assert len(rates(to="2024-01-02")) == 3 and rates(base="USD") == []
    first = admin.get("/api/v1/fx-rates", params={"limit": 4}).json()
    rest = data(admin.get("/api/v1/fx-rates", params={"limit": 4, "cursor": first["meta"]["next_cursor"]}))
    assert len(first["data"]) == 4 and len(rest) == 2
    sources = {r["source"] for r in data(admin.get("/api/v1/fx-rates"))}
    assert sources == {"ecb_csv"}


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Day,USD\n2024-01-02,1.1\n", "line.1"),
        ("Date,USD,USD\n2024-01-02,1.1,1.2\n", "line.1"),
        ("Date,USD\n2024-01-02,1.1\n2024-02-30,1.2\n", "line.3"),
        ("Date,USD\n2024-01-02,1.1\n2024-01-03,abc\n", "line.3"),
        ("Date,USD\n2024-01-02,1.1\n2024-01-03,-1\n", "line.3"),
        ("Date,USD\n2024-01-02,0\n", "line.2"),
        ("Date,USD,GBP\n2024-01-02,1.1\n", "line.2"),
        ("Date,USD\n" + "2024-01-02,1.1\n" * 20_001, "body"),
    ],
)
def test_a_malformed_file_names_its_line_and_stores_nothing(admin: Api, text: str, field: str) -> None:
    error = error_of(
        admin.post("/api/v1/fx-rates/import", content=text.encode(), headers=CSV), 422, "validation_failed"
    )
    assert fields(error) == [field], error
    if field.startswith("line."):
        assert error["message"].startswith(f"line {field[5:]}:")
    assert data(admin.get("/api/v1/fx-rates")) == []


def test_import_the_ecb_daily_file(admin: Api) -> None:
    daily = "Date, USD, JPY, \r\n04 December 2026, 1.0523, 160.10, \r\n"
    counts = data(admin.post("/api/v1/fx-rates/import", content=daily.encode(), headers=CSV))
    assert (counts["dates"], counts["created"]) == (1, 2)
    assert {(r["quote"], r["date"]) for r in data(admin.get("/api/v1/fx-rates"))} == {
        ("USD", "2026-12-04"),
        ("JPY", "2026-12-04"),
    }


def test_import_limits_and_media_type(admin: Api) -> None:
    big = ("Date,USD\n" + "2024-01-02,1.100000000000\n" * 45_000).encode()
    assert len(big) > fx.MAX_IMPORT_BYTES
    error_of(admin.post("/api/v1/fx-rates/import", content=big, headers=CSV), 413, "payload_too_large")
    error_of(admin.post("/api/v1/fx-rates/import", json={"Date": "x"}), 415, "unsupported_media_type")
    bad = b"Date,USD\n2024-01-02,\xff\n"
    assert fields(
        error_of(admin.post("/api/v1/fx-rates/import", content=bad, headers=CSV), 422, "validation_failed")
    ) == ["body"]
    assert data(admin.get("/api/v1/fx-rates")) == []


def test_permissions_and_isolation(admin: Api, api: Any, tenant: Any, make_tenant: Any) -> None:
    data(admin.post("/api/v1/fx-rates", json=rate()), 201)
    assert data(api(make_tenant("Other").api_key).get("/api/v1/fx-rates")) == []
    writer = user_with(admin, api, tenant, "billing:read", "billing:write")
    assert len(data(writer.get("/api/v1/fx-rates"))) == 1
    error_of(writer.post("/api/v1/fx-rates", json=rate()), 403, "forbidden")
    error_of(writer.post("/api/v1/fx-rates/import", content=ECB.encode(), headers=CSV), 403, "forbidden")
    error_of(user_with(admin, api, tenant, "tasks:read").get("/api/v1/fx-rates"), 403, "forbidden")


# -- convert ------------------------------------------------------------------------------------


def _rates(ctx: TenantContext, *rows: tuple[str, str, str, str]) -> list[FxRate]:
    return [
        FxRate(tenant_id=ctx.tenant_id, base=b, quote=q, rate=Decimal(r), on_date=dt.date.fromisoformat(d))
        for b, q, r, d in rows
    ]


def test_convert_uses_the_latest_rate_direct_inverse_or_across_eur(
    engine: Engine, make_tenant: Callable[..., TenantFixture]
) -> None:
    tenant, other = make_tenant(), make_tenant("Other")
    ctx, elsewhere = TenantContext.system(tenant.id), TenantContext.system(other.id)
    day = dt.date.fromisoformat
    with tenant_session(engine, other.id) as session:
        session.add_all(_rates(elsewhere, ("EUR", "CHF", "0.95", "2024-01-01")))
    with tenant_session(engine, tenant.id) as session:
        session.add_all(
            _rates(
                ctx,
                ("EUR", "USD", "1.1", "2024-01-02"),
                ("EUR", "USD", "1.2", "2024-01-05"),
                ("EUR", "JPY", "160.5", "2024-01-02"),
                ("KWD", "EUR", "3", "2024-01-02"),
            )
        )
        session.flush()
        assert fx.convert(session, ctx, 1000, "EUR", "USD", day("2024-01-04")) == 1100
        assert fx.convert(session, ctx, 1000, "EUR", "USD", day("2024-01-05")) == 1200
        assert fx.convert(session, ctx, 1100, "usd", "EUR", day("2024-01-03")) == 1000  # inverse
        assert fx.convert(session, ctx, 100, "EUR", "JPY", day("2024-01-02")) == 161  # 160.5 half up
        assert fx.convert(session, ctx, 1100, "USD", "JPY", day("2024-01-02")) == 1605  # across EUR
        assert fx.convert(session, ctx, 1500, "KWD", "EUR", day("2024-01-02")) == 450  # 1.500 KWD
        assert fx.convert(session, ctx, 300, "EUR", "KWD", day("2024-02-01")) == 1000  # 3.00 EUR: 1.000 KWD
        assert fx.convert(session, ctx, 123, "GBP", "GBP", day("2024-01-01")) == 123
        for source, target, on in (
            ("EUR", "USD", "2024-01-01"),
            ("EUR", "CHF", "2024-06-01"),
            ("GBP", "USD", "2024-06-01"),
        ):
            with pytest.raises(ValidationFailed) as refused:
                fx.convert(session, ctx, 100, source, target, day(on))
            assert refused.value.code == "fx_rate_missing" and source in refused.value.message
        # the latest rate wins whichever way it is quoted: an inverse set later beats an older direct
        session.add_all(_rates(ctx, ("USD", "EUR", "0.5", "2024-01-06")))
        session.flush()
        assert fx.convert(session, ctx, 1000, "EUR", "USD", day("2024-01-06")) == 2000
