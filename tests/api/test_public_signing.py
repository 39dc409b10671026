"""The signer's public endpoints: forged and used links, what a signer sees, one-time codes by SMS,
bad signatures and fields, and two signs of one signer at once."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime

import pytest
from sqlalchemy import text, update

from db.models.signing import SigningRequest
from db.session import tenant_session
from domain.signing.tokens import sign_token
from tests.api.conftest import data, error_of
from tests.api.signing_helpers import (
    CODE,
    create,
    drawn,
    drawn_png,
    request_body,
    signer,
    store_document,
    token_of,
    typed,
    wait_for,
)

D = "x.example"
BOX = {"type": "text", "page": 1, "x": 60, "y": 100, "width": 150, "height": 20, "label": "Company"}


@pytest.fixture
def document(engine, live, tenant):
    return store_document(engine, live.settings, tenant.id)


@pytest.fixture
def one(admin, document):
    """A request to one signer with a text field; its link."""
    created = create(
        admin, request_body(document, [signer("Ana", f"ana@{D}")], fields=[{"signer": 0, **BOX}])
    )
    return created, token_of(admin, f"ana@{D}")


def url(token: str, tail: str = "") -> str:
    return f"/api/v1/public/signing/{token}{tail}"


def test_forged_and_malformed_links_are_404(anonymous, one, live, tenant):
    created, token = one
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    other_key = sign_token(
        "another-secret-entirely-0123456789abcdef",
        tenant.id,
        uuid.UUID(created["id"]),
        uuid.UUID(created["signers"][0]["id"]),
        datetime.fromisoformat(created["expires_at"]),
    )
    for bad in (flipped, other_key, "abc", "x" * 102, token + "A"):
        error_of(anonymous.get(url(bad)), 404, "not_found")
        error_of(anonymous.post(url(bad, "/sign"), json=typed()), 404, "not_found")
    assert anonymous.get(url("x" * 600)).status_code in (404, 422)


def test_the_signer_sees_their_fields_and_pages_and_the_view_is_recorded_once(admin, anonymous, one):
    created, token = one
    view = data(anonymous.get(url(token)))
    assert view["request"]["id"] == created["id"] and view["signer"]["email"] == f"ana@{D}"
    assert view["document"]["page_count"] == 1 and len(view["document"]["sha256"]) == 64
    assert [(f["type"], f["label"]) for f in view["fields"]] == [("text", "Company")]
    page = view["pages"][0]
    assert page["number"] == 1 and page["width"] > 500 and page["image_url"] == url(token, "/pages/1")
    png = anonymous.get(page["image_url"])
    assert (
        png.status_code == 200
        and png.headers["content-type"] == "image/png"
        and png.content[:4] == b"\x89PNG"
    )
    error_of(anonymous.get(url(token, "/pages/2")), 404, "not_found")
    error_of(anonymous.get(url(token, "/pages/0")), 404, "not_found")
    pdf = anonymous.get(url(token, "/document"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    data(anonymous.get(url(token)))
    trail = data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))
    assert [e["action"] for e in trail].count("viewed") == 1
    assert data(admin.get(f"/api/v1/signing-requests/{created['id']}"))["signers"][0]["status"] == "viewed"


BAD_SIGNS = {
    "no consent": (lambda f: typed("Ana", **f) | {"consent": False}, "consent"),
    "missing text field": (lambda f: typed("Ana"), "fields.f1"),
    "unknown field": (lambda f: typed("Ana", **f, f99="x"), "fields.f99"),
    "typed name too long": (lambda f: typed("A" * 101, **f), "signature.value"),
    "typed blank": (lambda f: typed("   ", **f), "signature.value"),
    "typed control characters": (lambda f: typed("Ana\u202e", **f), "signature.value"),
    "text field unprintable": (lambda f: typed("Ana", f1="Acme\u0007"), "fields.f1"),
    "text field too long": (lambda f: typed("Ana", f1="A" * 501), "fields.f1"),
    "drawn not a data URL": (
        lambda f: {
            "signature": {"type": "drawn", "value": "https://evil.example/x.png"},
            "fields": f,
            "consent": True,
        },
        "signature.value",
    ),
    "drawn not a PNG": (
        lambda f: {
            "signature": {"type": "drawn", "value": "data:image/png;base64,R0lGODlhAQABAAAAACw="},
            "fields": f,
            "consent": True,
        },
        "signature.value",
    ),
    "drawn too wide": (
        lambda f: {
            "signature": {"type": "drawn", "value": drawn_png(2500, 10)},
            "fields": f,
            "consent": True,
        },
        "signature.value",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SIGNS))
def test_bad_signatures_are_refused_and_change_nothing(admin, anonymous, one, case):
    created, token = one
    build, field = BAD_SIGNS[case]
    err = error_of(anonymous.post(url(token, "/sign"), json=build({"f1": "Acme"})), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == field
    out = data(admin.get(f"/api/v1/signing-requests/{created['id']}"))
    assert out["signers"][0]["status"] == "sent" and out["status"] == "sent"
    assert data(anonymous.post(url(token, "/sign"), json=drawn(f1="Acme"))) == {"status": "signed"}


def test_used_and_closed_links_are_gone(admin, anonymous, one, engine, live, tenant):
    _, token = one
    data(anonymous.post(url(token, "/sign"), json=typed("Ana", f1="Acme")))
    error_of(anonymous.get(url(token)), 410, "gone")
    error_of(anonymous.get(url(token, "/pages/1")), 410, "gone")
    error_of(anonymous.post(url(token, "/sign"), json=typed("Ana", f1="Acme")), 410, "gone")
    error_of(anonymous.post(url(token, "/decline"), json={"reason": "no"}), 410, "gone")
    second = create(
        admin, request_body(store_document(engine, live.settings, tenant.id), [signer("B", f"b@{D}")])
    )
    b = token_of(admin, f"b@{D}")
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            update(SigningRequest)
            .where(SigningRequest.id == uuid.UUID(second["id"]))
            .values(status="expired")
        )
    error_of(anonymous.get(url(b)), 410, "gone")


def test_a_later_order_waits_and_a_cc_has_nothing_to_sign(admin, anonymous, document, live, tenant):
    created = create(
        admin,
        request_body(
            document, [signer("A", f"a@{D}"), signer("B", f"b@{D}", 2), signer("C", f"c@{D}", role="cc")]
        ),
    )
    secret = live.settings.require_jwt_secret()
    expires = datetime.fromisoformat(created["expires_at"])
    for s in created["signers"][1:]:
        token = sign_token(secret, tenant.id, uuid.UUID(created["id"]), uuid.UUID(s["id"]), expires)
        error_of(anonymous.get(url(token)), 409, "conflict")
        error_of(anonymous.post(url(token, "/sign"), json=typed("B")), 409, "conflict")


def test_sms_codes_lock_the_signer_after_three_wrong_ones(admin, anonymous, document):
    phone = "+442079460958"
    body = request_body(document, [signer("Ana", f"ana@{D}", auth="sms_otp", phone=phone)])
    created = create(admin, body)
    token = token_of(admin, f"ana@{D}")
    err = error_of(anonymous.post(url(token, "/sign"), json=typed("Ana")), 422, "validation_failed")
    assert err["details"]["fields"][0]["field"] == "otp"
    sent = data(anonymous.post(url(token, "/otp")), 202)
    assert sent["sent_to"] != phone and sent["sent_to"].endswith("0958")
    again = anonymous.post(url(token, "/otp"))
    error_of(again, 429, "rate_limited")
    assert int(again.headers["Retry-After"]) > 0
    messages = wait_for(admin, phone, "code", channel="sms")
    assert len(messages) == 1
    code = CODE.search(messages[0]["text"]).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        err = error_of(
            anonymous.post(url(token, "/sign"), json=typed("Ana") | {"otp": wrong}), 422, "wrong_code"
        )
    error_of(anonymous.post(url(token, "/sign"), json=typed("Ana") | {"otp": code}), 423, "locked")
    error_of(anonymous.post(url(token, "/otp")), 423, "locked")
    out = data(admin.get(f"/api/v1/signing-requests/{created['id']}"))
    assert out["signers"][0]["status"] != "signed"
    actions = [e["action"] for e in data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))]
    assert actions.count("otp_failed") == 3 and "signed" not in actions


def test_the_right_sms_code_signs_once(admin, anonymous, document):
    phone = "+33612345678"
    created = create(admin, request_body(document, [signer("Ana", f"ana@{D}", auth="sms_otp", phone=phone)]))
    token = token_of(admin, f"ana@{D}")
    data(anonymous.post(url(token, "/otp")), 202)
    code = CODE.search(wait_for(admin, phone, "code", channel="sms")[0]["text"]).group(1)  # type: ignore[union-attr]
    assert data(anonymous.post(url(token, "/sign"), json=typed("Ana") | {"otp": code})) == {
        "status": "signed"
    }
    actions = [e["action"] for e in data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))]
    assert "otp_verified" in actions and actions.index("otp_verified") < actions.index("signed")


def test_an_expired_code_is_refused(admin, anonymous, document, engine, tenant):
    phone = "+442079460958"
    created = create(admin, request_body(document, [signer("Ana", f"ana@{D}", auth="sms_otp", phone=phone)]))
    token = token_of(admin, f"ana@{D}")
    data(anonymous.post(url(token, "/otp")), 202)
    code = CODE.search(wait_for(admin, phone, "code", channel="sms")[0]["text"]).group(1)  # type: ignore[union-attr]
    with tenant_session(engine, tenant.id) as session:
        session.execute(
            text("UPDATE signing_signers SET otp_expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": created["signers"][0]["id"]},
        )
    err = error_of(
        anonymous.post(url(token, "/sign"), json=typed("Ana") | {"otp": code}), 422, "validation_failed"
    )
    assert err["details"]["fields"][0]["field"] == "otp"


def test_an_email_signer_gets_no_code(anonymous, one):
    _, token = one
    error_of(anonymous.post(url(token, "/otp")), 409, "conflict")


def test_a_sign_while_another_holds_the_signer_is_a_409(admin, anonymous, one, engine, tenant):
    created, token = one
    signer_id = created["signers"][0]["id"]
    with tenant_session(engine, tenant.id) as session:
        session.execute(text("SELECT 1 FROM signing_signers WHERE id = :id FOR UPDATE"), {"id": signer_id})
        error_of(anonymous.post(url(token, "/sign"), json=typed("Ana", f1="Acme")), 409, "conflict")
        error_of(anonymous.post(url(token, "/decline"), json={"reason": "no"}), 409, "conflict")
    assert data(anonymous.post(url(token, "/sign"), json=typed("Ana", f1="Acme"))) == {"status": "signed"}


def test_two_signs_at_once_sign_once(admin, anonymous, one):
    created, token = one
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def attempt() -> None:
        barrier.wait()
        statuses.append(anonymous.post(url(token, "/sign"), json=drawn(f1="Acme")).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses)[0] == 200 and statuses.count(200) == 1
    assert set(statuses) - {200} <= {409, 410}
    trail = data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))
    assert [e["action"] for e in trail].count("signed") == 1
