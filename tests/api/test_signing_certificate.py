"""GET /api/v1/signing/certificate: the chain that seals a tenant's documents, as PEM."""

from __future__ import annotations

from collections.abc import Callable

from cryptography import x509
from cryptography.x509.oid import NameOID

from tests.api.conftest import Api, error_of
from tests.conftest import TenantFixture

URL = "/api/v1/signing/certificate"


def chain_of(who: Api) -> list[x509.Certificate]:
    response = who.get(URL)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/x-pem-file")
    return x509.load_pem_x509_certificates(response.content)


def test_a_member_gets_the_tenant_certificate_and_its_ca(
    api: Callable[[str | None], Api], make_tenant: Callable[..., TenantFixture]
):
    first, second = make_tenant("First"), make_tenant("Second")
    leaf, ca = chain_of(api(first.api_key))
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == first.domain
    assert leaf.issuer == ca.subject
    leaf.verify_directly_issued_by(ca)

    assert chain_of(api(first.api_key))[0] == leaf  # issued once, then the same
    other_leaf, other_ca = chain_of(api(second.api_key))
    assert other_leaf != leaf and other_leaf.public_key() != leaf.public_key()
    assert other_ca == ca
    assert other_leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == second.domain


def test_any_signed_in_member_may_read_it(
    api: Callable[[str | None], Api], tenant: TenantFixture, admin: Api
):
    user = admin.post(
        "/api/v1/users",
        json={"email": f"reader@{tenant.domain}", "password": "a long password 123", "roles": []},
    )
    assert user.status_code == 201, user.text
    member = api(None).login(f"reader@{tenant.domain}", "a long password 123")
    assert len(chain_of(member)) == 2


def test_without_a_bearer_it_is_401(anonymous: Api):
    error_of(anonymous.get(URL), 401, "unauthenticated")
    error_of(anonymous.get(URL, headers={"Authorization": "Bearer nonsense"}), 401, "unauthenticated")
