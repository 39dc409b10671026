"""The in-app inbox: a task assignment lands in the assignee's inbox, and only theirs."""

from __future__ import annotations

import uuid

from tests.api.conftest import data, error_of
from tests.api.test_processes import approval, eventually, open_tasks, org  # noqa: F401 - fixture


def test_assignment_notifies_the_assignee_who_marks_it_read(org, tenant):  # noqa: F811
    admin, alice, cfo = org["admin"], org["alice"], org["cfo"]
    data(admin.post("/api/v1/processes", json=approval(tenant, "PO-IN")), 201)
    (task,) = eventually(lambda: open_tasks(alice))

    def inbox(who, **params):
        return who.get("/api/v1/me/inbox", params=params).json()

    body = eventually(lambda: (b := inbox(alice, unread="true"))["data"] and b)
    (note,) = body["data"]
    assert body["meta"]["unread_count"] == 1
    assert (
        note["kind"] == "task.assigned" and note["data"]["task_id"] == task["id"] and note["read_at"] is None
    )
    assert inbox(cfo)["data"] == [] and inbox(cfo)["meta"]["unread_count"] == 0
    error_of(cfo.post(f"/api/v1/me/inbox/{note['id']}/read"), 404, "not_found")
    read = data(alice.post(f"/api/v1/me/inbox/{note['id']}/read"))
    assert read["read_at"] is not None
    assert data(alice.post(f"/api/v1/me/inbox/{note['id']}/read"))["read_at"] == read["read_at"]
    after = inbox(alice, unread="true")
    assert after["data"] == [] and after["meta"]["unread_count"] == 0
    assert [n["id"] for n in inbox(alice)["data"]] == [note["id"]]
    error_of(alice.post(f"/api/v1/me/inbox/{uuid.uuid4()}/read"), 404, "not_found")
    error_of(alice.get("/api/v1/me/inbox", params={"unread": "maybe"}), 422, "validation_failed")


def test_an_assignment_also_reaches_the_assignee_by_email_through_a_tracked_delivery(org, tenant):  # noqa: F811
    admin, alice = org["admin"], org["alice"]
    data(admin.post("/api/v1/processes", json=approval(tenant, "PO-MAIL")), 201)
    (task,) = eventually(lambda: open_tasks(alice))

    def mail_to_alice():
        box = data(admin.get("/api/v1/dev/outbox", params={"to": f"alice@{tenant.domain}"}))
        return [m for m in box if task["title"] in m["subject"]]

    (mail,) = eventually(mail_to_alice)
    assert mail["channel"] == "email" and task["title"] in mail["text"]
    # The message names the process and when the task is due (no "in : ..." with a blank).
    assert mail["subject"] == f"New task: {task['title']}"
    assert f"You have a new task in approval: {task['title']} (due " in mail["text"]
    assert "UTC)." in mail["text"] and "<strong>approval</strong>" in mail["html"]
    (note,) = data(alice.get("/api/v1/me/inbox"))
    assert note["body"].startswith("approval (due ") and note["body"].endswith(" UTC)")

    def delivered():  # the delivery settles just after the message is stored
        deliveries = data(admin.get("/api/v1/notifications", params={"status": "delivered"}))
        return [d for d in deliveries if d["id"] == mail["data"]["delivery_id"]]

    (mine,) = eventually(delivered)
    assert mine["template"] == "task-assigned" and mine["category"] == "approvals"
    by_channel = {m["channel"]: m for m in mine["messages"]}
    assert by_channel["email"]["address"] == f"alice@{tenant.domain}"
    assert by_channel["in_app"]["status"] == by_channel["email"]["status"] == "delivered"
