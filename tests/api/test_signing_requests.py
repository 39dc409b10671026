"""Signing requests end to end through the live stack: orders in sequence and in parallel, the
sealed result, decline, void, reminders, the audit trail, and every bad input refused with
nothing stored or sent."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from typing import Any

import pypdf
import pytest

from db.session import tenant_session
from domain.context import TenantContext
from domain.documents import service as documents
from domain.signing.seal import check_seal
from domain.webhooks import signing as webhook_signing
from tests.api.conftest import data, error_of
from tests.api.signing_helpers import (
    create,
    delivery_count,
    drawn,
    request_body,
    request_count,
    signer,
    store_document,
    token_of,
    typed,
    wait_for,
    wait_status,
)
from tests.workflows.test_webhooks import Receiver, serve_receiver


@pytest.fixture
def document(engine, live, tenant):
    return store_document(engine, live.settings, tenant.id)


def test_two_orders_with_a_parallel_pair_complete_with_a_sealed_document(admin, anonymous, document, tenant):
    d = "x.example"
    body = request_body(
        document,
        [
            signer("Ana Lima", f"ana@{d}", 1),
            signer("Ben Ode", f"ben@{d}", 2),
            signer("Cy Park", f"cy@{d}", 2, role="approver"),
            signer("Dee Copy", f"dee@{d}", 2, role="cc"),
        ],
        fields=[
            {"signer": 0, "type": "signature", "page": 1, "x": 60, "y": 700, "width": 150, "height": 40},
            {"signer": f"ben@{d}", "type": "text", "page": 1, "x": 60, "y": 100, "width": 150, "height": 20},
            {"anchor": "Signature:", "signer": 1},
            {"signer": 2, "type": "date", "page": 1, "x": 300, "y": 100, "width": 100, "height": 20},
        ],
    )
    created = create(admin, body)
    assert created["status"] == "sent"
    assert [(s["email"], s["status"]) for s in created["signers"]] == [
        (f"ana@{d}", "sent"),
        (f"ben@{d}", "waiting"),
        (f"cy@{d}", "waiting"),
        (f"dee@{d}", "cc"),
    ]
    ana = token_of(admin, f"ana@{d}")
    assert wait_for(admin, f"ben@{d}", "Please", timeout=1) == []  # order 2 waits for order 1

    view = data(anonymous.get(f"/api/v1/public/signing/{ana}"))
    assert [f["type"] for f in view["fields"]] == ["signature"]
    assert (
        data(anonymous.post(f"/api/v1/public/signing/{ana}/sign", json=typed("Ana Lima")))["status"]
        == "signed"
    )

    ben, cy = token_of(admin, f"ben@{d}"), token_of(admin, f"cy@{d}")
    ben_view = data(anonymous.get(f"/api/v1/public/signing/{ben}"))
    text_field = next(f["id"] for f in ben_view["fields"] if f["type"] == "text")
    anchored = [f for f in ben_view["fields"] if f["type"] == "signature"]
    assert len(anchored) == 1 and anchored[0]["page"] == 1 and anchored[0]["x"] > 60
    data(anonymous.post(f"/api/v1/public/signing/{ben}/sign", json=drawn(**{text_field: "Ode Trading"})))
    data(anonymous.post(f"/api/v1/public/signing/{cy}/sign", json=typed("Cy Park")))

    done = wait_status(admin, created["id"], "completed")
    assert done["final_version"] == 2 and done["completed_at"]
    pdf = admin.get(f"/api/v1/signing-requests/{created['id']}/document")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    chain = admin.get("/api/v1/signing/certificate").text
    report = check_seal(pdf.content, chain)
    assert report.intact and report.valid and report.timestamped
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Ode Trading" in text and f"ana@{d}" in text  # a field value, and the certificate page
    tampered = bytearray(pdf.content)
    tampered[len(tampered) // 3] ^= 0x01
    assert not check_seal(bytes(tampered), chain).intact

    # The document's new version is the sealed one; everyone, cc included, got the completion once.
    versions = admin.get(f"/api/v1/documents/{document}/versions")
    if versions.status_code == 200:
        assert [v["source"] for v in data(versions)][:1] == ["signing"]
    for who in ("ana", "ben", "cy", "dee"):
        assert len(wait_for(admin, f"{who}@{d}", "Completed:")) == 1
        assert len(wait_for(admin, f"{who}@{d}", "Please", timeout=0)) == (0 if who == "dee" else 1)

    trail = data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))
    actions = [e["action"] for e in trail]
    assert actions[0] == "created" and actions[-1] == "completed"
    assert actions.count("sent") == 3 and actions.count("signed") == 3 and actions.count("viewed") == 2
    signed = next(e for e in trail if e["action"] == "signed")
    assert signed["signer_email"] == f"ana@{d}" and signed["ip"] and signed["user_agent"]
    assert len({e["document_sha256"] for e in trail}) == 2  # the original, then the sealed result
    assert trail[-1]["document_sha256"] != trail[0]["document_sha256"]

    # Each step is a domain event, which webhooks deliver.
    emitted = data(admin.get("/api/v1/events", params={"type": "signing_request.*", "limit": 50}))
    types = [e["type"].split(".")[1] for e in emitted if e["payload"]["signing_request_id"] == created["id"]]
    assert sorted(types) == sorted(
        ["sent", "sent", "viewed", "viewed", "signed", "signed", "signed", "completed"]
    )

    # The links are used now; the cc's link serves the completed document.
    error_of(anonymous.post(f"/api/v1/public/signing/{ana}/sign", json=typed()), 410, "gone")
    assert anonymous.get(f"/api/v1/public/signing/{ana}/document").content == pdf.content


def test_a_signed_document_can_be_countersigned_with_a_second_seal(admin, anonymous, document, tenant):
    first = create(admin, request_body(document, [signer("Ana Lima", "ana@counter.example")]))
    data(
        anonymous.post(f"/api/v1/public/signing/{token_of(admin, 'ana@counter.example')}/sign", json=typed())
    )
    assert wait_status(admin, first["id"], "completed")["final_version"] == 2

    second = create(admin, request_body(document, [signer("Ben Ode", "ben@counter.example")]))
    ben = token_of(admin, "ben@counter.example")
    data(anonymous.post(f"/api/v1/public/signing/{ben}/sign", json=typed("Ben Ode")))
    assert wait_status(admin, second["id"], "completed")["final_version"] == 3
    pdf = admin.get(f"/api/v1/signing-requests/{second['id']}/document").content
    report = check_seal(pdf, admin.get("/api/v1/signing/certificate").text)
    assert report.intact and report.valid


def test_a_decline_ends_the_request_for_everyone(admin, anonymous, document, tenant):
    d = "x.example"
    created = create(admin, request_body(document, [signer("A", f"a@{d}"), signer("B", f"b@{d}")]))
    a, b = token_of(admin, f"a@{d}"), token_of(admin, f"b@{d}")
    error_of(
        anonymous.post(f"/api/v1/public/signing/{a}/decline", json={"reason": ""}), 422, "validation_failed"
    )
    out = data(anonymous.post(f"/api/v1/public/signing/{a}/decline", json={"reason": "Wrong price"}))
    assert out == {"status": "declined"}
    request = data(admin.get(f"/api/v1/signing-requests/{created['id']}"))
    assert request["status"] == "declined" and request["status_reason"] == "Wrong price"
    error_of(anonymous.post(f"/api/v1/public/signing/{b}/sign", json=typed()), 410, "gone")
    error_of(anonymous.get(f"/api/v1/public/signing/{b}"), 410, "gone")
    assert wait_for(admin, f"b@{d}", "declined")  # the other signer is told
    error_of(admin.get(f"/api/v1/signing-requests/{created['id']}/document"), 409, "conflict")
    declined = data(admin.get("/api/v1/events", params={"type": "signing_request.declined"}))
    assert [e["payload"]["reason"] for e in declined] == ["Wrong price"]


def test_void_stops_every_link(admin, anonymous, document, tenant):
    d = "x.example"
    created = create(admin, request_body(document, [signer("A", f"a@{d}")]))
    a = token_of(admin, f"a@{d}")
    error_of(admin.post(f"/api/v1/signing-requests/{created['id']}/void", json={}), 422, "validation_failed")
    out = data(admin.post(f"/api/v1/signing-requests/{created['id']}/void", json={"reason": "Wrong version"}))
    assert out["status"] == "voided"
    error_of(anonymous.post(f"/api/v1/public/signing/{a}/sign", json=typed()), 410, "gone")
    error_of(anonymous.get(f"/api/v1/public/signing/{a}/document"), 410, "gone")
    error_of(
        admin.post(f"/api/v1/signing-requests/{created['id']}/void", json={"reason": "x"}), 409, "conflict"
    )
    error_of(admin.post(f"/api/v1/signing-requests/{created['id']}/remind"), 409, "conflict")
    actions = [e["action"] for e in data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))]
    assert actions[-1] == "voided"
    listed = data(admin.get("/api/v1/signing-requests", params={"status": "voided"}))
    assert [r["id"] for r in listed] == [created["id"]]


def test_remind_emails_those_who_have_not_acted(admin, anonymous, document, tenant):
    d = "x.example"
    created = create(admin, request_body(document, [signer("A", f"a@{d}"), signer("B", f"b@{d}")]))
    a = token_of(admin, f"a@{d}")
    token_of(admin, f"b@{d}")
    data(anonymous.post(f"/api/v1/public/signing/{a}/sign", json=typed("A")))
    reminded = data(admin.post(f"/api/v1/signing-requests/{created['id']}/remind"))["reminded"]
    b_id = next(s["id"] for s in created["signers"] if s["email"] == f"b@{d}")
    assert reminded == [b_id]
    assert len(wait_for(admin, f"b@{d}", "Reminder:")) == 1
    assert wait_for(admin, f"a@{d}", "Reminder:", timeout=1) == []
    actions = [e["action"] for e in data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))]
    assert actions.count("reminded") == 1


def _field(signer_ref, **box):
    return {
        "signer": signer_ref,
        "type": "signature",
        "page": 1,
        "x": 10,
        "y": 10,
        "width": 100,
        "height": 30,
    } | box


BAD: dict[str, tuple[dict[str, Any], str]] = {
    "signer without email": ({"signers": [{"name": "A", "order": 1}]}, "signers.0.email"),
    "duplicate signers": (
        {"signers": [signer("A", "a@x.example"), signer("B", "A@x.example")]},
        "signers.1.email",
    ),
    "order gap": ({"signers": [signer("A", "a@x.example", 1), signer("B", "b@x.example", 3)]}, "signers"),
    "sms without phone": ({"signers": [signer("A", "a@x.example", auth="sms_otp")]}, "signers.0.phone"),
    "bad phone": ({"signers": [signer("A", "a@x.example", phone="12")]}, "signers.0.phone"),
    "only cc": ({"signers": [signer("A", "a@x.example", role="cc")]}, "signers"),
    "field outside the page": ({"fields": [_field(0, x=500, width=200)]}, "fields.0"),
    "field too small to fill": ({"fields": [_field(0, width=2)]}, "fields.0.box.width"),
    "field on a missing page": ({"fields": [_field(0, page=9)]}, "fields.0.page"),
    "field of an unknown signer": ({"fields": [_field(5)]}, "fields.0.signer"),
    "field of an unknown email": ({"fields": [_field("z@x.example")]}, "fields.0.signer"),
    "field of a cc": (
        {
            "signers": [signer("A", "a@x.example"), signer("C", "c@x.example", role="cc")],
            "fields": [_field(1)],
        },
        "fields.0.signer",
    ),
    "anchor not found": ({"fields": [{"anchor": "Initials here", "signer": 0}]}, "fields.0.anchor"),
    "expiry too long": ({"expires_in": "P400D"}, "expires_in"),
    "expiry too short": ({"expires_in": "PT5M"}, "expires_in"),
    "expiry not a duration": ({"expires_in": "two weeks"}, "expires_in"),
    "reminders too often": ({"reminders": {"every": "PT5M"}}, "reminders.every"),
    "reminders after expiry": ({"expires_in": "P2D", "reminders": {"every": "P3D"}}, "reminders.every"),
    "no signers": ({"signers": []}, "signers"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_requests_are_refused_and_nothing_is_stored_or_sent(admin, document, tenant, engine, case):
    change, field = BAD[case]
    body = request_body(document, [signer("A", "a@x.example")]) | change
    before = (request_count(engine, tenant.id), delivery_count(engine, tenant.id))
    err = error_of(admin.post("/api/v1/signing-requests", json=body), 422, "validation_failed")
    assert field in [f["field"] for f in err["details"]["fields"]], err
    assert (request_count(engine, tenant.id), delivery_count(engine, tenant.id)) == before


def test_documents_that_cannot_be_signed(admin, engine, live, tenant, make_tenant):
    other = make_tenant("Other")
    foreign = store_document(engine, live.settings, other.id)
    error_of(
        admin.post("/api/v1/signing-requests", json=request_body(foreign, [signer("A", "a@x.example")])),
        404,
        "not_found",
    )
    text = store_document(engine, live.settings, tenant.id, b"just some words\n", name="notes.txt")
    err = error_of(
        admin.post("/api/v1/signing-requests", json=request_body(text, [signer("A", "a@x.example")])),
        422,
        "validation_failed",
    )
    assert err["details"]["fields"][0]["field"] == "document_id"
    deleted = store_document(engine, live.settings, tenant.id)
    with tenant_session(engine, tenant.id) as session:
        documents.delete_document(session, TenantContext.system(tenant.id), deleted)
    for missing in (deleted, uuid.uuid4()):
        body = request_body(missing, [signer("A", "a@x.example")])
        error_of(admin.post("/api/v1/signing-requests", json=body), 404, "not_found")
    assert request_count(engine, tenant.id) == 0 and request_count(engine, other.id) == 0


def test_another_tenants_request_is_a_404(admin, api, make_tenant, document, tenant):
    created = create(admin, request_body(document, [signer("A", "a@x.example")]))
    stranger = api(make_tenant("Other").api_key)
    for path in ("", "/audit-trail", "/document"):
        error_of(stranger.get(f"/api/v1/signing-requests/{created['id']}{path}"), 404, "not_found")
    error_of(
        stranger.post(f"/api/v1/signing-requests/{created['id']}/void", json={"reason": "x"}),
        404,
        "not_found",
    )
    assert data(stranger.get("/api/v1/signing-requests")) == []


def test_reading_is_not_sending(admin, api, document, engine, tenant):
    data(
        admin.post(
            "/api/v1/roles", json={"name": "reader", "permissions": ["signing:read", "documents:read"]}
        ),
        201,
    )
    email = f"rita@{tenant.domain}"
    user = {"email": email, "password": "a-long-password", "roles": ["reader"]}
    data(admin.post("/api/v1/users", json=user), 201)
    rita = api(None).login(email, "a-long-password")
    created = create(admin, request_body(document, [signer("A", "a@x.example")]))
    body = request_body(document, [signer("B", "b@x.example")])
    error_of(rita.post("/api/v1/signing-requests", json=body), 403, "forbidden")
    error_of(
        rita.post(f"/api/v1/signing-requests/{created['id']}/void", json={"reason": "x"}), 403, "forbidden"
    )
    error_of(rita.post(f"/api/v1/signing-requests/{created['id']}/remind"), 403, "forbidden")
    assert [r["id"] for r in data(rita.get("/api/v1/signing-requests"))] == [created["id"]]
    assert data(rita.get(f"/api/v1/signing-requests/{created['id']}"))["status"] == "sent"
    assert request_count(engine, tenant.id) == 1


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver, server = serve_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


def test_webhooks_deliver_each_step(admin, anonymous, document, receiver):
    hook = data(
        admin.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["signing_request.*"]}), 201
    )
    created = create(admin, request_body(document, [signer("A", "a@x.example")]))
    token = token_of(admin, "a@x.example")
    data(anonymous.post(f"/api/v1/public/signing/{token}/sign", json=typed("A")))
    wait_status(admin, created["id"], "completed")
    arrived = receiver.wait_for(3, timeout=30)
    for request in arrived:
        webhook_signing.verify(hook["secret"], request.headers, request.body)
        assert request.json["data"]["signing_request_id"] == created["id"]
    assert sorted(r.json["type"] for r in arrived) == [
        "signing_request.completed",
        "signing_request.sent",
        "signing_request.signed",
    ]
