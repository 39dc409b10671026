"""Document assets through the HTTP API: images and fonts typed from their bytes, loaded by templates
as asset:<name>, and only by the tenant that uploaded them."""

from __future__ import annotations

import io

from PIL import Image

from tests.api.conftest import Api, data, error_of

BASE = "/api/v1/document-assets"
TEMPLATES = "/api/v1/document-templates"


def png(color: str = "red", size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def upload(who: Api, name: str, content: bytes, claimed: str = "text/html"):
    return who.post(BASE, files={"file": ("whatever.html", content, claimed)}, data={"name": name})


def logo_template(key: str = "letter") -> dict[str, object]:
    return {
        "key": key,
        "name": "Letter",
        "content": '<img src="asset:logo.png"><p>Dear {{ name }}</p>',
        "sample_data": {"name": "Ada"},
    }


def test_upload_list_use_and_delete(admin: Api) -> None:
    r = upload(admin, "logo.png", png())
    asset = data(r, 201)
    assert asset["content_type"] == "image/png"  # from the bytes, not the client's text/html
    assert r.headers["Location"] == f"{BASE}/{asset['id']}"
    assert data(admin.get(f"{BASE}/{asset['id']}"))["sha256"] == asset["sha256"]
    assert [a["name"] for a in data(admin.get(BASE))] == ["logo.png"]

    data(admin.post(TEMPLATES, json=logo_template()), 201)
    preview = admin.post(f"{TEMPLATES}/letter/preview", json={"data": {"name": "Grace"}})
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF-")

    font = upload(admin, "brand.woff2", b"wOF2" + bytes(200))
    assert data(font, 201)["content_type"] == "font/woff2"
    svg = upload(admin, "mark.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    assert data(svg, 201)["content_type"] == "image/svg+xml"

    data(admin.delete(f"{BASE}/{asset['id']}"))
    error_of(admin.get(f"{BASE}/{asset['id']}"), 404, "not_found")
    gone = admin.post(f"{TEMPLATES}/letter/preview", json={})
    assert "no such asset" in error_of(gone, 422, "validation_failed")["message"]


def test_refused_assets_store_nothing(admin: Api) -> None:
    for name, content in (
        ("notes.png", b"plain text, not an image"),
        ("page.svg", b"<html><script>x</script>"),
    ):
        fields = error_of(upload(admin, name, content), 422, "validation_failed")["details"]["fields"]
        assert fields[0]["field"] == "file"
    error_of(upload(admin, "../etc/passwd", png()), 422, "validation_failed")
    error_of(
        upload(admin, "big.png", png(size=(2000, 2000)) + bytes(6 * 1024 * 1024)), 413, "payload_too_large"
    )
    assert data(admin.get(BASE)) == []
    data(upload(admin, "logo.png", png()), 201)
    error_of(upload(admin, "logo.png", png("blue")), 409, "conflict")
    assert len(data(admin.get(BASE))) == 1


def test_another_tenants_asset_does_not_resolve(admin: Api, api, make_tenant) -> None:
    asset = data(upload(admin, "logo.png", png()), 201)
    other = api(make_tenant().api_key)
    error_of(other.get(f"{BASE}/{asset['id']}"), 404, "not_found")
    error_of(other.delete(f"{BASE}/{asset['id']}"), 404, "not_found")
    refused = other.post(TEMPLATES, json=logo_template())
    assert "no such asset" in error_of(refused, 422, "validation_failed")["message"]
