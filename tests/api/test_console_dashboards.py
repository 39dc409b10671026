"""The console's dashboards over HTTP, against the live stack: the list shows the shipped operations
dashboard and the organisation's own (and says what to do when there is none of its own), a dashboard's
page renders every tile before any script runs (a number with the previous period and the change in
words, a heatmap's graded cells, a chart's figures as a table, a failing tile's error) in English and
French, and the pages refuse a member without analytics:read and know nothing of another tenant's."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from db.session import tenant_session
from domain.analytics.dashboards import OPERATIONS_ID
from tests.api.conftest import Api, Live, data
from tests.api.test_analytics_metrics import YAML, add_processes, longest
from tests.api.test_console import PASSWORD, browser, sign_in
from tests.conftest import TenantFixture
from web.console import dashboards as console_dashboards

WINDOW = {"from": "2026-10-20T00:00:00Z", "to": "2026-10-30T00:00:00Z"}  # ten days; the ten before


def analyst(admin: Api, tenant: TenantFixture) -> str:
    """A new member (password ``PASSWORD``) whose only role reads analytics."""
    role = f"analyst{uuid.uuid4().hex[:6]}"
    data(admin.post("/api/v1/roles", json={"name": role, "permissions": ["analytics:read"]}), 201)
    email = f"{role}@{tenant.domain}"
    data(admin.post("/api/v1/users", json={"email": email, "password": PASSWORD, "roles": [role]}), 201)
    return email


def tile(chart: str, metric: str = "process-throughput", **params: Any) -> dict[str, Any]:
    return {"metric": metric, "chart": chart, "params": params}


def section(page: str, index: int) -> str:
    """The markup of the page's tile ``index``."""
    found = re.search(rf'<section class="tile[^"]*" data-index="{index}".*?</section>', page, re.S)
    assert found is not None, page
    return found[0]


def words(markup: str) -> str:
    """The text a reader sees, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def test_the_list_shows_the_shipped_dashboard_and_the_organisations_own(
    live: Live, admin: Api, tenant: TenantFixture, monkeypatch: pytest.MonkeyPatch
):
    client = browser(live)
    assert sign_in(client, analyst(admin, tenant)).status_code == 303
    page = client.get("/app/dashboards")
    assert page.status_code == 200, page.text
    assert f'href="/app/dashboards/{OPERATIONS_ID}"' in page.text and "Operations" in page.text
    assert "Ships with Keel" in page.text and "7 tiles" in page.text
    assert "no dashboard of its own yet" in page.text and "POST /api/v1/dashboards" in page.text
    assert 'href="/app/dashboards" aria-current="page"' in page.text  # the nav shows where one is

    made = data(
        admin.post("/api/v1/dashboards", json={"name": "Team figures", "tiles": [tile("number")]}), 201
    )
    listed = client.get("/app/dashboards").text
    assert f'href="/app/dashboards/{made["id"]}">Team figures</a>' in listed and "1 tile" in listed
    assert "no dashboard of its own yet" not in listed
    assert listed.index(str(OPERATIONS_ID)) < listed.index(made["id"])  # the shipped one first

    french = browser(live, **{"Accept-Language": "fr"})
    assert sign_in(french, tenant.admin_email, tenant.admin_password).status_code == 303
    assert "Fourni avec Keel" in french.get("/app/dashboards").text

    for cursor in ("not-a-cursor", "x" * 2000):  # not a 500 nor JSON: the first page, saying so
        bad = client.get("/app/dashboards", params={"cursor": cursor})
        assert bad.status_code == 200 and bad.headers["content-type"].startswith("text/html"), cursor
        assert "That page of the list does not exist (any more)" in bad.text and made["id"] in bad.text

    newer = data(admin.post("/api/v1/dashboards", json={"name": "Newer", "tiles": []}), 201)
    monkeypatch.setattr(console_dashboards, "PAGE", 2)  # the server runs in this process
    first = client.get("/app/dashboards").text
    assert str(OPERATIONS_ID) in first and newer["id"] in first and made["id"] not in first
    more = re.search(r'<a href="(/app/dashboards\?cursor=[^"]+)">Next dashboards</a>', first)
    assert more is not None
    second = client.get(html.unescape(more[1])).text
    assert made["id"] in second and str(OPERATIONS_ID) not in second and "Next dashboards" not in second
    assert "no dashboard of its own yet" not in second


def test_a_dashboard_page_renders_every_tile_before_any_script_runs(
    live: Live, admin: Api, tenant: TenantFixture, engine: Engine
):
    day = datetime(2026, 10, 25, 12, tzinfo=UTC)
    add_processes(
        engine,
        tenant,
        [
            ("approval", day, 60),
            ("approval", day + timedelta(days=1), 60),
            ("onboarding", day, 600),
            ("approval", day - timedelta(days=10), 60),  # the previous ten days
        ],
    )
    data(admin.post("/api/v1/metrics", content=longest(), headers=YAML), 201)
    grid = {**WINDOW, "grain": "day", "group_by": "definition"}
    made = data(
        admin.post(
            "/api/v1/dashboards",
            json={
                "name": "Throughput",
                "description": "Processes that ended",
                "tiles": [
                    tile("number", **WINDOW),
                    tile("line", **WINDOW, grain="day"),
                    tile("heatmap", **grid),
                    tile("table", "longest-process", range="P30D", grain="week"),
                ],
            },
        ),
        201,
    )
    client = browser(live)
    assert sign_in(client, analyst(admin, tenant)).status_code == 303
    page = client.get(f"/app/dashboards/{made['id']}")
    assert page.status_code == 200, page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert " style=" not in page.text and "<script>" not in page.text  # the CSP forbids both
    assert re.search(r'<script src="/web/static/uplot\.js\?v=\w+" defer>', page.text)
    assert f'data-stream="/api/v1/dashboards/{made["id"]}/stream?interval=5"' in page.text

    number = words(section(page.text, 0))
    assert "Processes ended" in number and "Oct 20, 2026 to Oct 30, 2026" in number
    assert "▲ Up 200% (+2) from the previous period" in number and "Previous period: 1" in number
    assert re.search(r'data-part="value">3<', section(page.text, 0))

    line = section(page.text, 1)
    assert 'data-part="chart" aria-hidden="true"' in line  # uPlot draws there; the table says it in words
    assert "10 periods: latest 0, highest 2." in words(line)
    assert "<summary>The figures as a table</summary>" in line and "Oct 25, 2026 2" in words(line)

    heat = section(page.text, 2)
    assert '<th scope="col">approval</th><th scope="col">onboarding</th>' in heat
    row = re.search(r'<th scope="row">Oct 25, 2026</th>(.*?)</tr>', heat)
    assert row is not None and row[1] == '<td class="heat-4">1</td><td class="heat-4">1</td>'
    empty = re.search(r'<th scope="row">Oct 20, 2026</th>(.*?)</tr>', heat)
    assert empty is not None and empty[1] == '<td class="heat-0">0</td><td class="heat-0">0</td>'

    assert "Last 30 days" in words(section(page.text, 3)) and "Week of" in words(section(page.text, 3))
    with tenant_session(engine, tenant.id) as session:  # the metric goes away under the dashboard
        session.execute(text("UPDATE analytics_metrics SET deleted_at = now()"))
    broken = words(section(client.get(f"/app/dashboards/{made['id']}").text, 3))
    assert "This tile cannot be shown now:" in broken and "longest-process" in broken

    french = browser(live, **{"Accept-Language": "fr-FR,fr;q=0.9"})
    assert sign_in(french, tenant.admin_email, tenant.admin_password).status_code == 303
    chiffre = words(section(french.get(f"/app/dashboards/{made['id']}").text, 0))
    assert "En hausse de 200 % (+2)" in chiffre and "Période précédente : 1" in chiffre
    assert "Du 20 oct. 2026 au 30 oct. 2026" in chiffre

    ops = client.get(f"/app/dashboards/{OPERATIONS_ID}")
    assert ops.status_code == 200 and ops.text.count('<section class="tile') == 7


def test_a_member_without_analytics_is_refused_and_another_tenants_dashboard_is_not_found(
    live: Live, admin: Api, tenant: TenantFixture, approver: str, make_tenant: Any, api: Any
):
    other = make_tenant("Dashboards elsewhere")
    theirs = data(api(other.api_key).post("/api/v1/dashboards", json={"name": "Theirs", "tiles": []}), 201)
    mine = data(admin.post("/api/v1/dashboards", json={"name": "Mine", "tiles": []}), 201)

    outsider = browser(live)
    assert outsider.get("/app/dashboards").headers["location"] == "/app/sign-in"
    assert sign_in(outsider, approver).status_code == 303  # tasks only
    for path in ("/app/dashboards", f"/app/dashboards/{mine['id']}"):
        refused = outsider.get(path)
        assert refused.status_code == 403 and "Not allowed" in refused.text, path
    assert 'href="/app/dashboards"' not in outsider.get("/app/inbox").text

    reader = browser(live)
    assert sign_in(reader, analyst(admin, tenant)).status_code == 303
    for ident in (theirs["id"], str(uuid.uuid4()), "not-a-uuid"):
        missing = reader.get(f"/app/dashboards/{ident}")
        assert missing.status_code == 404 and "Not found" in missing.text, ident
    own = reader.get(f"/app/dashboards/{mine['id']}")
    assert own.status_code == 200 and "This dashboard has no tile yet" in own.text
