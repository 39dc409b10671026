"""The dunning policy through the API: set and read back, each bad value a 422 naming the field with
nothing stored, and only holders of billing:settings may change it."""

from __future__ import annotations

import pytest

from tests.api.conftest import data, error_of

PATH = "/api/v1/billing/dunning"
POLICY = {"reminders": ["P3D", "p7d", "P14D"], "final_notice": "P30D", "then": "mark_uncollectible"}


def test_set_and_read_back(admin):
    retries = ["P1D", "P3D", "P5D"]  # automatic charges are retried by default
    assert data(admin.get(PATH)) == {
        "reminders": [],
        "final_notice": None,
        "then": None,
        "charge_retries": retries,
    }
    saved = data(admin.put(PATH, json=POLICY))
    assert saved == {
        "reminders": ["P3D", "P7D", "P14D"],
        "final_notice": "P30D",
        "then": "mark_uncollectible",
        "charge_retries": retries,
    }
    assert data(admin.get(PATH)) == saved
    assert data(admin.put(PATH, json={"reminders": [], "charge_retries": []})) == {
        "reminders": [],
        "final_notice": None,
        "then": None,
        "charge_retries": [],
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reminders": ["P7D", "P3D"]}, "reminders.1"),
        ({"reminders": ["3 days"]}, "reminders.0"),
        ({"reminders": ["PT5M"]}, "reminders.0"),
        ({"reminders": ["P400D"]}, "reminders.0"),
        ({"reminders": ["P1D"] * 11}, "reminders"),
        ({"reminders": ["P7D"], "final_notice": "P7D"}, "final_notice"),
        ({"then": "notify"}, "then"),
        ({"final_notice": "P30D", "then": "sue"}, "then"),
        ({"reminders": ["P3D"], "extra": 1}, "extra"),
    ],
)
def test_bad_policies_are_422_and_change_nothing(admin, body, field):
    data(admin.put(PATH, json=POLICY))
    err = error_of(admin.put(PATH, json=body), 422, "validation_failed")
    assert field in [f["field"] for f in err["details"]["fields"]], err
    assert data(admin.get(PATH))["reminders"] == ["P3D", "P7D", "P14D"]


def test_only_billing_settings_may_change_it(admin, api, tenant):
    data(
        admin.post("/api/v1/roles", json={"name": "clerk", "permissions": ["billing:read", "billing:write"]}),
        201,
    )
    email = f"clerk@{tenant.domain}"
    data(
        admin.post("/api/v1/users", json={"email": email, "password": "a-long-password", "roles": ["clerk"]}),
        201,
    )
    clerk = api(None).login(email, "a-long-password")
    assert data(clerk.get(PATH))["reminders"] == []
    error_of(clerk.put(PATH, json=POLICY), 403, "forbidden")
    assert data(admin.get(PATH))["reminders"] == []
