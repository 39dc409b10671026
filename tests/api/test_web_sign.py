"""GET /sign/{token} without a browser: statuses, security headers, escaping, static files."""

from __future__ import annotations

import uuid
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import pytest

from domain.signing.tokens import sign_token
from tests.api.conftest import data
from tests.browser.signing import (
    agreement_pdf,
    request_signature,
    sign_typed,
    signing_token,
    sms_code,
    upload,
)
from web import pages, routes

CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
GONE = "This signing link can no longer be used"
NOT_FOUND = "Signing link not found"


def invite(admin, **kw):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    created = request_signature(admin, upload(admin, agreement_pdf()), email=email, **kw)
    return created, signing_token(admin, email)


def assert_page_headers(response):
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


class Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_no_inline_code(html):
    """Only sign.js runs: no inline script, handler or style the CSP would have to allow."""
    tags = Tags(html).tags
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert all((a.get("src") or "").startswith("/web/static/") for a in scripts), scripts
    assert len(scripts) <= 1
    assert not [a for _, a in tags if any(k.startswith("on") or k == "style" for k in a)]
    assert "style" not in [tag for tag, _ in tags]


def test_the_page_shows_the_request_with_strict_headers(admin, anonymous):
    created, token = invite(admin)
    response = anonymous.get(f"/sign/{token}")
    assert response.status_code == 200, response.text
    assert_page_headers(response)
    html = response.text
    assert_no_inline_code(html)
    assert '<h1 id="title">Service agreement</h1>' in html
    assert "Signing as <strong>Ana Lima</strong>" in html
    assert f'src="/api/v1/public/signing/{token}/pages/1"' in html
    assert html.count('class="box box-') == 3
    # The page loads the same view as the JSON endpoint, which records the signer's first view.
    trail = data(admin.get(f"/api/v1/signing-requests/{created['id']}/audit-trail"))
    assert [e["action"] for e in trail].count("viewed") == 1
    # Its page image and static files answer without a credential.
    image = anonymous.get(f"/api/v1/public/signing/{token}/pages/1")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    for name, kind in (("sign.js", "text/javascript"), ("sign.css", "text/css")):
        assert pages.static_url(name) in html
        static = anonymous.get(pages.static_url(name))
        assert static.status_code == 200 and static.headers["content-type"].startswith(kind)


def test_what_the_sender_wrote_is_escaped(admin, anonymous):
    _, token = invite(
        admin, title="<script>alert(1)</script> Lease", message="</p><img src=x onerror=alert(2)>"
    )
    html = anonymous.get(f"/sign/{token}").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Lease" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert_no_inline_code(html)


def fake_view(**changes: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "request": {"id": "r", "title": "T", "message": None, "status": "sent", "expires_at": None},
        "signer": {
            "id": "s",
            "name": "Ana",
            "email": "a@example.com",
            "role": "signer",
            "status": "sent",
            "auth": "email",
        },
        "document": {"name": "a.pdf", "page_count": 1, "sha256": "0" * 64},
        "fields": [
            {
                "id": "f",
                "signer_id": "s",
                "type": "text",
                "page": 1,
                "x": 10,
                "y": 20,
                "width": 100,
                "height": 20,
                "label": None,
            }
        ],
        "pages": [
            {"number": 1, "width": 595, "height": 842, "image_url": "/api/v1/public/signing/t/pages/1"}
        ],
    }
    for path, value in changes.items():
        part, key = path.split("__")
        target = view[part][0] if isinstance(view[part], list) else view[part]
        target[key] = value
    return view


def test_every_value_is_escaped_in_text_and_attributes():
    hostile = "\"><script>alert(1)</script>'"
    every_text = ["signer__name", "signer__email", "document__name", "fields__label", "fields__id"]
    view = fake_view(**dict.fromkeys([*every_text, "request__title", "request__message"], hostile))
    html = bytes(pages.render("sign.html", view=view, api="/api/v1/public/signing/t").body).decode()
    assert "<script>alert" not in html
    assert [tag for tag, _ in Tags(html).tags if tag == "script"] == ["script"]  # sign.js only
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in html
    assert_no_inline_code(html)


def test_a_used_or_voided_link_is_a_410_page(admin, anonymous):
    _, token = invite(admin)
    assert sign_typed(anonymous, token).status_code == 200
    used = anonymous.get(f"/sign/{token}")
    assert used.status_code == 410 and GONE in used.text and "You already signed." in used.text
    assert_page_headers(used)

    created, token = invite(admin)
    data(admin.post(f"/api/v1/signing-requests/{created['id']}/void", json={"reason": "Wrong version"}))
    voided = anonymous.get(f"/sign/{token}")
    assert voided.status_code == 410 and GONE in voided.text and "voided" in voided.text


def test_a_later_signer_and_a_locked_signer_see_why(admin, anonymous, live, tenant):
    document = upload(admin, agreement_pdf())
    first, second = (f"{who}-{uuid.uuid4().hex[:8]}@example.com" for who in ("ana", "ben"))
    body = {
        "document_id": document,
        "title": "Two in turn",
        "signers": [
            {"name": "Ana", "email": first, "order": 1},
            {"name": "Ben", "email": second, "order": 2},
        ],
        "expires_in": "P14D",
    }
    created = data(admin.post("/api/v1/signing-requests", json=body), 201)
    ben = next(s for s in created["signers"] if s["email"] == second)
    # Ben's genuine link, before his turn (he is emailed it only once Ana has signed).
    expires_at = datetime.fromisoformat(
        data(admin.get(f"/api/v1/signing-requests/{created['id']}"))["expires_at"]
    )
    token = sign_token(
        live.settings.require_jwt_secret(),
        tenant.id,
        uuid.UUID(created["id"]),
        uuid.UUID(ben["id"]),
        expires_at,
    )
    early = anonymous.get(f"/sign/{token}")
    assert early.status_code == 409 and "Nothing to sign right now" in early.text
    assert "Others sign before you" in early.text
    assert_page_headers(early)

    phone = f"+33612{uuid.uuid4().int % 1_000_000:06d}"
    _, token = invite(admin, auth="sms_otp", phone=phone)
    assert anonymous.post(f"/api/v1/public/signing/{token}/otp").status_code == 202
    code = sms_code(admin, phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    answers = [sign_typed(anonymous, token, otp=wrong).status_code for _ in range(3)]
    assert answers[:2] == [422, 422] and answers[2] in (422, 423)
    locked = anonymous.get(f"/sign/{token}")
    assert locked.status_code == 423 and "This signing link is locked" in locked.text
    assert "Too many wrong codes" in locked.text


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "a" * 600, "x.y.z", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "%3Cscript%3E"],
)
def test_a_forged_link_is_a_404_page_without_details(anonymous, token):
    response = anonymous.get(f"/sign/{token}")
    assert response.status_code == 404, response.text
    assert_page_headers(response)
    assert NOT_FOUND in response.text
    assert "Traceback" not in response.text and "Error" not in response.text


def test_a_tampered_token_is_a_404_page(admin, anonymous):
    _, token = invite(admin)
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = anonymous.get(f"/sign/{flipped}")
    assert response.status_code == 404 and NOT_FOUND in response.text


@pytest.mark.parametrize(
    "name", ["nope.js", "..%2Fpages.py", "%2e%2e%2Froutes.py", "sign.js%00", "base.html"]
)
def test_only_the_listed_static_files_are_served(anonymous, name):
    response = anonymous.get(f"/web/static/{name}")
    assert response.status_code in (404, 422)
    assert "import" not in response.text


def test_an_approver_is_asked_to_approve():
    html = bytes(pages.render("sign.html", view=fake_view(signer__role="approver"), api="/x").body).decode()
    assert "Approval requested" in html and ">Approve</button>" in html and ">Sign</button>" not in html
    html = bytes(pages.render("sign.html", view=fake_view(), api="/x").body).decode()
    assert "Signature requested" in html and ">Sign</button>" in html


def test_an_unexpected_failure_is_a_plain_500_page(anonymous, monkeypatch):
    def broken(request, token):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(routes, "load_signing_view", broken)
    response = anonymous.get("/sign/" + "a" * 102)
    assert response.status_code == 500
    assert_page_headers(response)
    assert "Something went wrong" in response.text
    assert "hunter2" not in response.text and "Traceback" not in response.text
