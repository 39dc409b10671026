"""The seal's keys (development CA, production PKCS#12) and the PAdES seal checked offline."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import SecretStr
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from domain.errors import ValidationFailed
from domain.signing.keys import (
    DevCa,
    SealKey,
    SealKeyError,
    chain_pem,
    check_configuration,
    prepare,
    seal_key,
)
from domain.signing.seal import TimestampUnavailable, check_seal, check_seal_async, seal_pdf
from keel.settings import Settings

DOMAIN = "acme.example"


def dev_settings(home: Path) -> Settings:
    return Settings(home=home, environment="development")


def certificates(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode())


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keel-home")


@pytest.fixture(scope="module")
def key(home: Path) -> SealKey:
    return seal_key(dev_settings(home), uuid.uuid4(), tenant_domain=DOMAIN)


@pytest.fixture(scope="module")
def document() -> bytes:
    return HTML(string="<p>The agreement, to be sealed.</p>").write_pdf()


@pytest.fixture(scope="module")
def sealed(document: bytes, key: SealKey) -> bytes:
    return seal_pdf(document, key, reason="Signed by every signer")


# --- the development CA ------------------------------------------------------------------------------


def test_the_dev_ca_is_created_once_with_private_keys_and_issues_one_certificate_per_tenant(tmp_path: Path):
    settings = dev_settings(tmp_path)
    prepare(settings)  # what `keel up` does
    signing = tmp_path / "signing"
    ca_before = (signing / "ca.pem").read_bytes()
    for name in ("ca.key", "tsa.key"):
        assert stat.S_IMODE((signing / name).stat().st_mode) == 0o600
    tenant, other = uuid.uuid4(), uuid.uuid4()
    first = seal_key(settings, tenant, tenant_domain="shop.example")
    assert stat.S_IMODE((signing / "tenants" / f"{tenant}.key").stat().st_mode) == 0o600

    again = seal_key(settings, str(tenant))  # reused, whatever the caller knows of the tenant
    prepare(settings)
    assert again.certificate == first.certificate and again.private_key == first.private_key
    assert (signing / "ca.pem").read_bytes() == ca_before
    assert seal_key(settings, other).certificate != first.certificate

    leaf, ca = certificates(chain_pem(settings, tenant))
    assert leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "shop.example"
    assert leaf.issuer == ca.subject and ca.subject == ca.issuer
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment


def test_a_certificate_issued_before_the_domain_was_known_is_named_once_it_is(
    tmp_path: Path, document: bytes
):
    settings, tenant = dev_settings(tmp_path), uuid.uuid4()
    anonymous = seal_key(settings, tenant)  # e.g. a workflow, which knows the tenant id only
    assert "tenant " + str(tenant) in anonymous.subject
    early_seal = seal_pdf(document, anonymous, reason="x")
    named = seal_key(settings, tenant, tenant_domain="late.example")
    assert "CN=late.example" in named.subject
    assert seal_key(settings, tenant).certificate == named.certificate  # kept from then on
    assert seal_key(settings, tenant, tenant_domain="other.example").certificate == named.certificate
    assert check_seal(early_seal, named.chain_pem()).valid  # the CA in the chain still vouches for it


def test_two_processes_starting_at_once_agree_on_one_ca(tmp_path: Path):
    script = (
        "import sys; from pathlib import Path; from keel.settings import Settings;"
        "from domain.signing.keys import DevCa, prepare;"
        "s = Settings(home=Path(sys.argv[1]), environment='development'); prepare(s);"
        "print(DevCa(Path(sys.argv[1]) / 'signing').certificate().serial_number)"
    )
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    serials = {run.communicate(timeout=120)[0].strip() for run in runs}
    assert all(run.returncode == 0 for run in runs)
    assert len(serials) == 1
    ca = x509.load_pem_x509_certificate((tmp_path / "signing" / "ca.pem").read_bytes())
    assert serials == {str(ca.serial_number)}
    assert not [p for p in (tmp_path / "signing").iterdir() if p.name.endswith(".tmp")]


def test_a_tenant_id_that_is_not_a_uuid_never_becomes_a_path(tmp_path: Path):
    with pytest.raises(ValueError):
        seal_key(dev_settings(tmp_path), "../../etc/passwd")
    assert not (tmp_path / "signing" / "tenants").exists() or not list(
        (tmp_path / "signing").rglob("*passwd*")
    )


# --- production: a PKCS#12 file --------------------------------------------------------------------


def usage(non_repudiation: bool) -> x509.KeyUsage:
    return x509.KeyUsage(True, non_repudiation, False, False, False, False, False, False, False)


def pkcs12_file(path: Path, password: bytes, *, non_repudiation: bool = True) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Production Test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Keel Production Seal")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(usage(non_repudiation), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"seal", key, leaf, [ca], encryption))
    return leaf


def test_a_configured_pkcs12_seals_every_tenant_and_never_creates_the_dev_ca(tmp_path: Path, document: bytes):
    leaf = pkcs12_file(tmp_path / "seal.p12", b"s3cret")
    settings = Settings(
        home=tmp_path / "home",
        environment="production",
        signing_cert=tmp_path / "seal.p12",
        signing_cert_password=SecretStr("s3cret"),
    )
    check_configuration(settings)
    first, second = seal_key(settings, uuid.uuid4()), seal_key(settings, uuid.uuid4())
    assert first.certificate == second.certificate == leaf.public_bytes(serialization.Encoding.DER)
    chain = certificates(first.chain_pem())
    assert [c.subject.rfc4514_string() for c in chain] == ["CN=Keel Production Seal", "CN=Production Test CA"]
    assert not (tmp_path / "home" / "signing").exists()
    # No timestamp authority configured: a timestamped seal is refused, one without is valid.
    with pytest.raises(SealKeyError, match="KEEL_TIMESTAMP_URL"):
        seal_pdf(document, first, reason="done")
    report = check_seal(seal_pdf(document, first, reason="done", timestamp=False), first.chain_pem())
    assert report.intact and report.valid and not report.timestamped


def test_a_certificate_not_meant_for_signing_is_a_clear_error(tmp_path: Path, document: bytes):
    pkcs12_file(tmp_path / "seal.p12", b"pw", non_repudiation=False)
    settings = Settings(
        home=tmp_path, signing_cert=tmp_path / "seal.p12", signing_cert_password=SecretStr("pw")
    )
    with pytest.raises(SealKeyError, match="non repudiation"):
        seal_pdf(document, seal_key(settings, uuid.uuid4()), reason="x", timestamp=False)


@contextmanager
def timestamp_authority(home: Path) -> Iterator[str]:
    """An RFC 3161 server on loopback, signing with the development timestamp certificate."""
    from asn1crypto import keys, tsp
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    certificate, key = DevCa(home / "signing").tsa()
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/tsa"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_a_configured_timestamp_url_stamps_the_seal(tmp_path: Path, document: bytes):
    pkcs12_file(tmp_path / "seal.p12", b"pw")
    tsa_home = tmp_path / "tsa"
    with timestamp_authority(tsa_home) as url:
        settings = Settings(
            home=tmp_path / "home",
            environment="production",
            signing_cert=tmp_path / "seal.p12",
            signing_cert_password=SecretStr("pw"),
            timestamp_url=url,
        )
        key = seal_key(settings, uuid.uuid4())
        sealed = seal_pdf(document, key, reason="done")
    tsa_root = (tsa_home / "signing" / "ca.pem").read_text()
    report = check_seal(sealed, key.chain_pem() + tsa_root)
    assert report.valid and report.timestamped
    # The timestamp's own chain is needed to trust it; the seal stays valid without.
    alone = check_seal(sealed, key.chain_pem())
    assert alone.valid and not alone.timestamped


def test_an_unreachable_timestamp_authority_is_a_transient_error(document: bytes, key: SealKey):
    import dataclasses

    unreachable = dataclasses.replace(key, timestamp_url="http://127.0.0.1:9/tsa")  # the discard port
    with pytest.raises(TimestampUnavailable, match=r"127\.0\.0\.1:9/tsa"):
        seal_pdf(document, unreachable, reason="x")


@pytest.mark.parametrize(
    ("password", "problem"),
    [("wrong", "cannot be opened"), (None, "cannot be opened")],
)
def test_a_pkcs12_that_does_not_open_is_a_configuration_error_not_a_fallback(
    tmp_path: Path, password: str | None, problem: str
):
    pkcs12_file(tmp_path / "seal.p12", b"s3cret")
    settings = Settings(
        home=tmp_path / "home",
        environment="production",
        signing_cert=tmp_path / "seal.p12",
        signing_cert_password=SecretStr(password) if password else None,
    )
    with pytest.raises(SealKeyError, match=problem):
        check_configuration(settings)
    with pytest.raises(SealKeyError, match="KEEL_SIGNING_CERT"):
        seal_key(settings, uuid.uuid4())
    assert not (tmp_path / "home" / "signing").exists()


def test_a_missing_or_unreadable_pkcs12_and_production_without_one_are_configuration_errors(tmp_path: Path):
    missing = Settings(home=tmp_path, environment="production", signing_cert=tmp_path / "nope.p12")
    with pytest.raises(SealKeyError, match="cannot be read"):
        check_configuration(missing)
    (tmp_path / "garbage.p12").write_bytes(b"not pkcs12 at all")
    garbage = Settings(home=tmp_path, environment="development", signing_cert=tmp_path / "garbage.p12")
    with pytest.raises(SealKeyError, match="cannot be opened"):
        seal_key(garbage, uuid.uuid4())
    with pytest.raises(SealKeyError, match="KEEL_SIGNING_CERT is not set"):
        seal_key(Settings(home=tmp_path, environment="production"), uuid.uuid4())
    assert not (tmp_path / "signing").exists()


def test_the_api_refuses_to_start_with_a_pkcs12_it_cannot_open(tmp_path: Path):
    from api.app import create_app

    pkcs12_file(tmp_path / "seal.p12", b"s3cret")
    settings = Settings(
        home=tmp_path,
        environment="production",
        signing_cert=tmp_path / "seal.p12",
        signing_cert_password=SecretStr("not it"),
        jwt_secret=SecretStr("x" * 40),
        database_url="postgresql+psycopg2://nobody@/nowhere",
    )
    with pytest.raises(SealKeyError, match="KEEL_SIGNING_CERT_PASSWORD"):
        create_app(settings)


# --- sealing and checking ------------------------------------------------------------------------------


def test_a_sealed_pdf_is_intact_valid_and_timestamped(sealed: bytes, document: bytes, key: SealKey):
    assert sealed.startswith(document)  # an incremental update: the original bytes are kept as they were
    assert b"/DSS" in sealed[len(document) :]  # the chain embedded for readers (validation data)
    report = check_seal(sealed, key.chain_pem())
    assert (report.signed, report.intact, report.valid, report.timestamped) == (True, True, True, True)
    assert report.signer_subject is not None and DOMAIN in report.signer_subject
    assert report.signed_at is not None
    assert abs(report.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert report.summary == "the seal is intact and valid, with a trusted timestamp"


def test_one_byte_changed_inside_the_signed_range_is_tampering(sealed: bytes, key: SealKey):
    where = sealed.index(b"WeasyPrint")  # the producer string: the file still parses after the change
    tampered = sealed[:where] + b"X" + sealed[where + 1 :]
    report = check_seal(tampered, key.chain_pem())
    assert report.signed and not report.intact and not report.valid
    assert report.summary == "the document was changed after it was sealed"


def test_an_altered_signature_value_is_not_intact(sealed: bytes, key: SealKey):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[-1]
    value = signature.signer_info["signature"].native
    where = sealed.lower().index(value.hex().encode()) + 10  # a hex digit inside the signature value
    digit = sealed[where : where + 1]
    altered = sealed[:where] + (b"0" if digit != b"0" else b"1") + sealed[where + 1 :]
    report = check_seal(altered, key.chain_pem())
    assert report.signed and not report.intact and not report.valid
    assert report.summary == "the seal itself was altered and does not verify"


def test_content_appended_after_the_seal_is_not_intact(sealed: bytes, key: SealKey):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    report = check_seal(out.getvalue(), key.chain_pem())
    assert report.signed and not report.intact and not report.valid


def test_a_seal_from_another_ca_is_intact_but_not_valid(tmp_path: Path, document: bytes, key: SealKey):
    stranger = seal_key(dev_settings(tmp_path), uuid.uuid4(), tenant_domain="evil.example")
    report = check_seal(seal_pdf(document, stranger, reason="forged"), key.chain_pem())
    assert report.signed and report.intact and not report.valid
    assert report.summary == "the seal is intact but not from a trusted certificate"


def test_an_unsigned_pdf_is_reported_as_unsealed(document: bytes, key: SealKey):
    report = check_seal(document, key.chain_pem())
    assert (report.signed, report.intact, report.valid, report.timestamped) == (False, False, False, False)
    assert report.summary == "the document carries no seal"


def test_a_seal_without_timestamp_says_so(document: bytes, key: SealKey):
    report = check_seal(seal_pdf(document, key, reason="x", timestamp=False), key.chain_pem())
    assert report.valid and not report.timestamped


def test_bad_input_is_a_validation_error(sealed: bytes, key: SealKey):
    with pytest.raises(ValidationFailed) as not_pdf:
        check_seal(b"hello", key.chain_pem())
    assert not_pdf.value.fields[0].field == "pdf"
    with pytest.raises(ValidationFailed) as no_roots:
        check_seal(sealed, "no certificate here")
    assert no_roots.value.fields[0].field == "trust_roots"
    with pytest.raises(ValidationFailed):
        seal_pdf(b"%PDF-1.7 but nothing else", key, reason="x")
    with pytest.raises(ValidationFailed):
        seal_pdf(b"plain text", key, reason="x")


def test_checking_works_from_code_already_on_an_event_loop(sealed: bytes, key: SealKey):
    async def both() -> tuple[bool, bool]:
        inside = check_seal(sealed, key.chain_pem())  # pyHanko's loop runs on a thread of its own
        awaited = await check_seal_async(sealed, key.chain_pem())
        return inside.valid, awaited.valid

    assert asyncio.run(both()) == (True, True)


def test_a_document_sealed_before_and_rewritten_is_sealed_again_under_a_field_of_its_own(
    sealed: bytes, key: SealKey
):
    # A countersignature: the sealed result, drawn on again (pypdf rewrites it), is sealed once more.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(sealed)))
    rewritten = io.BytesIO()
    writer.write(rewritten)
    again = seal_pdf(rewritten.getvalue(), key, reason="Countersigned")
    report = check_seal(again, key.chain_pem())
    assert (report.signed, report.intact, report.valid) == (True, True, True)
    names = [s.field_name for s in PdfFileReader(io.BytesIO(again)).embedded_signatures]
    assert names == ["KeelSeal", "KeelSeal1"]
