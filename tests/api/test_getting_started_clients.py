"""The getting-started guide's Python part (docs/examples/tour.py, keel-client) runs against the live
stack: the approval ends approved, the booking is confirmed, and the receiver gets the test delivery
and the cancellation, both signed with the webhook's secret."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from tests.api.conftest import Live
from tests.conftest import TenantFixture

TOUR = Path(__file__).resolve().parents[2] / "docs" / "examples" / "tour.py"


def test_the_guides_python_tour_runs(live: Live, tenant: TenantFixture, monkeypatch, capsys) -> None:
    spec = importlib.util.spec_from_file_location("tour", TOUR)
    assert spec is not None and spec.loader is not None
    tour = importlib.util.module_from_spec(spec)
    sys.modules["tour"] = tour
    spec.loader.exec_module(tour)
    monkeypatch.setenv("KEEL_URL", live.url)
    monkeypatch.setenv("KEEL_API_KEY", tenant.api_key)
    tour.main()
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("approval: completed") and "approved" in lines[0]
    assert lines[1].startswith("booking: confirmed")
    got = [(ok, json.loads(body)["type"]) for ok, body in tour.Receiver.received]
    assert got == [(True, "webhook.test"), (True, "booking.cancelled")]
