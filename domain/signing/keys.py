"""The key that seals completed documents, and the certificates a reader checks the seal with.

Production: ``KEEL_SIGNING_CERT`` names a PKCS#12 file (``KEEL_SIGNING_CERT_PASSWORD`` opens it)
whose key seals every tenant's documents; ``KEEL_TIMESTAMP_URL`` names the RFC 3161 timestamp
authority. A file that cannot be read or opened is a ``SealKeyError`` naming the setting, at start
(``prepare``) and at every use: never a quiet fall back to the development CA.

Development: a local CA under ``<home>/signing`` (created by ``keel up`` or on first use) issues a
certificate per tenant, named after the tenant's domain, on that tenant's first seal, and a timestamp
authority certificate, so a sealed PDF carries a timestamp without any network. Files are written
under an exclusive lock and renamed into place, so two processes starting at once agree on one CA;
private keys are readable by their owner only.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from keel.settings import Settings

log = logging.getLogger("keel.signing")

CA_NAME = "Keel Development Signing CA"
TSA_NAME = "Keel Development Timestamp Authority"
CA_DAYS = 3650
LEAF_DAYS = 730
RENEW_BEFORE = dt.timedelta(days=30)  # a leaf this close to its end is issued again
MAX_PKCS12_BYTES = 1_048_576


PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


class SealKeyError(RuntimeError):
    """The seal's key cannot be used: a configuration problem the operator must fix."""


@dataclass(frozen=True)
class SealKey:
    """What seals one tenant's documents. DER bytes, so it pickles and compares simply."""

    certificate: bytes  # the signer's certificate
    private_key: bytes = field(repr=False)  # PKCS#8
    chain: tuple[bytes, ...] = ()  # issuers of ``certificate``, nearest first
    timestamp_url: str | None = None  # an RFC 3161 authority; wins over the local one
    tsa_certificate: bytes | None = None  # the development timestamp authority
    tsa_private_key: bytes | None = field(default=None, repr=False)

    @property
    def subject(self) -> str:
        return x509.load_der_x509_certificate(self.certificate).subject.rfc4514_string()

    def chain_pem(self) -> str:
        certificates = [x509.load_der_x509_certificate(der) for der in (self.certificate, *self.chain)]
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certificates)


def seal_key(settings: Settings, tenant_id: uuid.UUID | str, *, tenant_domain: str | None = None) -> SealKey:
    """The key sealing ``tenant_id``'s documents. ``tenant_domain`` names a development certificate
    issued now (an existing one is kept as it is)."""
    tenant = _tenant_uuid(tenant_id)
    if settings.signing_cert is not None:
        return _configured_key(settings)
    if settings.environment == "production":
        raise SealKeyError("KEEL_SIGNING_CERT is not set: production seals need a PKCS#12 certificate.")
    ca = DevCa(signing_dir(settings))
    certificate, key = ca.tenant_certificate(tenant, tenant_domain)
    tsa_certificate, tsa_key = ca.tsa()
    return SealKey(
        certificate=_der(certificate),
        private_key=_pkcs8(key),
        chain=(_der(ca.certificate()),),
        timestamp_url=settings.timestamp_url,
        tsa_certificate=_der(tsa_certificate),
        tsa_private_key=_pkcs8(tsa_key),
    )


def chain_pem(settings: Settings, tenant_id: uuid.UUID | str, *, tenant_domain: str | None = None) -> str:
    """The tenant's certificate and its issuers as PEM: the trust root a reader checks seals with."""
    return seal_key(settings, tenant_id, tenant_domain=tenant_domain).chain_pem()


def check_configuration(settings: Settings) -> None:
    """At start: a configured PKCS#12 must open (a ``SealKeyError`` otherwise)."""
    if settings.signing_cert is None:
        return
    _configured_key(settings)
    if not settings.timestamp_url:
        log.warning("KEEL_TIMESTAMP_URL is not set: seals cannot carry a timestamp")


def prepare(settings: Settings) -> None:
    """``keel up``: checks the configured PKCS#12 (failing loudly), or creates the development CA."""
    if settings.signing_cert is not None:
        check_configuration(settings)
        return
    if settings.environment == "production":
        log.warning("KEEL_SIGNING_CERT is not set: completed signing requests cannot be sealed")
        return
    ca = DevCa(signing_dir(settings))
    ca.certificate()
    ca.tsa()


def signing_dir(settings: Settings) -> Path:
    return settings.home.resolve() / "signing"


def _tenant_uuid(tenant_id: uuid.UUID | str) -> uuid.UUID:
    # A UUID only: it becomes a file name.
    return tenant_id if isinstance(tenant_id, uuid.UUID) else uuid.UUID(str(tenant_id))


# --- production: a PKCS#12 file -------------------------------------------------------------------


def _configured_key(settings: Settings) -> SealKey:
    path = settings.signing_cert
    assert path is not None
    password = settings.signing_cert_password.get_secret_value() if settings.signing_cert_password else None
    try:
        stat = path.stat()
    except OSError as exc:
        raise SealKeyError(f"KEEL_SIGNING_CERT {path} cannot be read: {exc.strerror}") from exc
    return _load_pkcs12(str(path), stat.st_mtime_ns, stat.st_size, password, settings.timestamp_url)


@lru_cache(maxsize=4)
def _load_pkcs12(
    path: str, _mtime: int, size: int, password: str | None, timestamp_url: str | None
) -> SealKey:
    if size > MAX_PKCS12_BYTES:
        raise SealKeyError(f"KEEL_SIGNING_CERT {path} is larger than a PKCS#12 certificate should be")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SealKeyError(f"KEEL_SIGNING_CERT {path} cannot be read: {exc.strerror}") from exc
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(
            data, password.encode() if password is not None else None
        )
    except ValueError as exc:
        raise SealKeyError(
            f"KEEL_SIGNING_CERT {path} cannot be opened: not PKCS#12, or KEEL_SIGNING_CERT_PASSWORD is wrong"
        ) from exc
    if key is None or certificate is None:
        raise SealKeyError(f"KEEL_SIGNING_CERT {path} must hold a private key and its certificate")
    if not isinstance(key, PrivateKey):
        raise SealKeyError(f"KEEL_SIGNING_CERT {path} holds a key type that cannot sign PDFs (RSA or EC)")
    return SealKey(
        certificate=_der(certificate),
        private_key=_pkcs8(key),
        chain=tuple(_der(c) for c in others if c != certificate),
        timestamp_url=timestamp_url,
    )


# --- development: a local CA ------------------------------------------------------------------------


class DevCa:
    """The development CA in ``directory``: ca.pem/ca.key, tsa.pem/tsa.key, tenants/<id>.pem/.key."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def certificate(self) -> x509.Certificate:
        return self._ca()[0]

    def tsa(self) -> tuple[x509.Certificate, PrivateKey]:
        found = self._read("tsa")
        if found is not None:
            return found
        ca_certificate, ca_key = self._ca()  # before the lock: flock does not nest
        with self._locked():
            found = self._read("tsa")
            if found is None:
                key = _new_key()
                name = _name(TSA_NAME)
                builder = _builder(name, ca_certificate.subject, key, LEAF_DAYS * 5)
                builder = builder.add_extension(
                    x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
                ).add_extension(_usage(), critical=True)
                builder = _issued_by(builder, ca_certificate)
                found = (builder.sign(ca_key, hashes.SHA256()), key)
                self._write("tsa", *found)
            return found

    def tenant_certificate(
        self, tenant_id: uuid.UUID, domain: str | None = None
    ) -> tuple[x509.Certificate, PrivateKey]:
        """The tenant's certificate, issued on first use and kept; issued again near its end, or once
        when the tenant's domain becomes known (a seal made before carries the tenant id alone)."""
        stem = f"tenants/{tenant_id}"
        found = self._read(stem)
        if found is not None and _usable(found[0], domain):
            return found
        ca = self._ca()  # before the lock: flock does not nest
        with self._locked():
            found = self._read(stem)
            if found is None or not _usable(found[0], domain):
                found = self._issue(ca, tenant_id, domain or _previous_domain(found))
                self._write(stem, *found)
            return found

    @staticmethod
    def _issue(
        ca: tuple[x509.Certificate, PrivateKey], tenant_id: uuid.UUID, domain: str | None
    ) -> tuple[x509.Certificate, PrivateKey]:
        ca_certificate, ca_key = ca
        key = _new_key()
        common_name = (domain or f"tenant {tenant_id}")[:64]
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Keel (development seal)"),
                x509.NameAttribute(NameOID.SERIAL_NUMBER, str(tenant_id)),
            ]
        )
        builder = _builder(subject, ca_certificate.subject, key, LEAF_DAYS).add_extension(
            _usage(), critical=True
        )
        if domain:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False
            )
        return _issued_by(builder, ca_certificate).sign(ca_key, hashes.SHA256()), key

    def _ca(self) -> tuple[x509.Certificate, PrivateKey]:
        found = self._read("ca")
        if found is not None:
            return found
        with self._locked():
            found = self._read("ca")
            if found is None:
                key = _new_key(3072)
                name = _name(CA_NAME)
                certificate = (
                    _builder(name, name, key, CA_DAYS)
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .add_extension(
                        x509.KeyUsage(
                            digital_signature=False,
                            content_commitment=False,
                            key_encipherment=False,
                            data_encipherment=False,
                            key_agreement=False,
                            key_cert_sign=True,
                            crl_sign=True,
                            encipher_only=False,
                            decipher_only=False,
                        ),
                        critical=True,
                    )
                    .sign(key, hashes.SHA384())
                )
                found = (certificate, key)
                self._write("ca", *found)
            return found

    # -- files --------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        (self.directory / "tenants").mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # another process creating the same files waits here
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read(self, stem: str) -> tuple[x509.Certificate, PrivateKey] | None:
        # The certificate is written after its key: once it exists, both are complete.
        cert_path, key_path = self.directory / f"{stem}.pem", self.directory / f"{stem}.key"
        try:
            certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise SealKeyError(
                f"the development signing files in {self.directory} cannot be read: {exc}"
            ) from exc
        except ValueError as exc:
            raise SealKeyError(f"the development signing files {cert_path} are damaged: {exc}") from exc
        if not isinstance(key, PrivateKey):
            raise SealKeyError(f"{key_path} is not an RSA or EC private key")
        return certificate, key

    def _write(self, stem: str, certificate: x509.Certificate, key: PrivateKey) -> None:
        key_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        _write_atomically(self.directory / f"{stem}.key", key_pem, 0o600)
        _write_atomically(
            self.directory / f"{stem}.pem", certificate.public_bytes(serialization.Encoding.PEM), 0o644
        )


def _write_atomically(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(mode)  # O_CREAT's mode is masked by the umask and ignored for a leftover file
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Keel"),
        ]
    )


def _builder(subject: x509.Name, issuer: x509.Name, key: PrivateKey, days: int) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))  # tolerates a clock slightly behind
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _issued_by(builder: x509.CertificateBuilder, ca: x509.Certificate) -> x509.CertificateBuilder:
    return builder.add_extension(
        x509.BasicConstraints(ca=False, path_length=None), critical=True
    ).add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.public_key()),  # type: ignore[arg-type]
        critical=False,
    )


def _usage() -> x509.KeyUsage:
    # Non-repudiation (content commitment) is what PDF validators expect of a signing certificate.
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _usable(certificate: x509.Certificate, domain: str | None) -> bool:
    fresh = certificate.not_valid_after_utc - dt.datetime.now(dt.UTC) > RENEW_BEFORE
    return fresh and (domain is None or _previous_domain((certificate, None)) is not None)


def _previous_domain(found: tuple[x509.Certificate, object] | None) -> str | None:
    if found is None:
        return None
    names = found[0].subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = str(names[0].value) if names else ""
    return None if value.startswith("tenant ") else value


def _new_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    # RSA: every PDF reader verifies it, and pyHanko's local timestamp authority signs with RSA only.
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _der(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _pkcs8(key: object) -> bytes:
    return key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
