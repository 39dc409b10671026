"""The PAdES seal on a completed document, and checking one offline.

``seal_pdf`` signs the whole file (an incremental update) with pyHanko: PAdES baseline, SHA-256,
an RFC 3161 timestamp on the signature (``KEEL_TIMESTAMP_URL``, or the development timestamp
authority), and the certificates a reader needs embedded. ``check_seal`` validates the last signature
against the trust roots given, with fetching off: it never touches the network, so any revocation
information must already be in the file or is simply not consulted.
"""

from __future__ import annotations

import asyncio
import dataclasses
import io
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper
from pyhanko.sign.timestamps.common_utils import TimestampRequestError
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import InvalidCertificateError, PathBuildingError, PathValidationError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from domain.documents.pdf import is_pdf
from domain.errors import ValidationFailed
from domain.signing.keys import SealKey, SealKeyError

log = logging.getLogger("keel.signing")


class _OfflineByDesign(logging.Filter):
    """pyHanko warns on every seal that embedding validation data without fetching may be incomplete:
    fetching is off on purpose (the chain is all there is to embed), so the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "but fetching is not allowed" not in record.getMessage()


logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_OfflineByDesign())

SEAL_FIELD = "KeelSeal"
MAX_SEAL_INPUT = 256 * 1024 * 1024
TIMESTAMP_SECONDS = 10
T = TypeVar("T")


class TimestampUnavailable(OSError):
    """The timestamp authority did not answer (or answered nonsense): transient, worth retrying."""


@dataclass(frozen=True)
class SealReport:
    """What a reader learns from the document's last signature."""

    signed: bool  # False: the document carries no signature at all
    intact: bool  # signed bytes and signature unchanged, nothing but validation data added after
    valid: bool  # intact, the signature verifies, and its certificate chains to a trusted root
    signed_at: datetime | None  # the timestamp's time if any, else the time the signer claimed
    signer_subject: str | None
    timestamped: bool  # a timestamp token that verifies against the same trust roots
    summary: str  # one line for a person

    @classmethod
    def unsigned(cls) -> SealReport:
        return cls(False, False, False, None, None, False, "the document carries no seal")


def seal_pdf(pdf: bytes, key: SealKey, *, reason: str, timestamp: bool = True) -> bytes:
    """``pdf`` sealed with ``key``: a PAdES signature over the whole file, timestamped if asked.

    A key that cannot seal is a ``SealKeyError`` (configuration); a timestamp authority that does not
    answer is a ``TimestampUnavailable`` (transient: a retry may succeed)."""
    if not isinstance(pdf, bytes) or not is_pdf(pdf):
        raise ValidationFailed.one("pdf", "is not a PDF")
    if len(pdf) > MAX_SEAL_INPUT:
        raise ValidationFailed.one("pdf", f"is larger than {MAX_SEAL_INPUT >> 20} MB")
    signer = _signer(key)
    timestamper = _timestamper(key) if timestamp else None
    embed = not (timestamp and key.timestamp_url)
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason[:200],
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        use_pades_lta=False,
        # The chain (and the local timestamp authority's) goes into the document's DSS. An external
        # authority's chain ends in a root only the reader's own store knows, so pyHanko, which validates
        # everything it embeds, could not embed it offline: then the seal goes without a DSS.
        embed_validation_info=embed,
        validation_context=_embedding_context(key) if embed else None,
    )

    async def sign() -> bytes:
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            taken = {name for name, _, _ in fields.enumerate_sig_fields(writer)}
        except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise ValidationFailed.one("pdf", "is not a readable PDF") from exc
        # A document signed before (a countersignature) keeps its earlier seal's field: a new one.
        names = (f"{SEAL_FIELD}{n or ''}" for n in range(len(taken) + 1))
        field = dataclasses.replace(metadata, field_name=next(n for n in names if n not in taken))
        pdf_signer = signers.PdfSigner(field, signer=signer, timestamper=timestamper)
        out = io.BytesIO()
        await pdf_signer.async_sign_pdf(writer, output=out)
        return out.getvalue()

    try:
        return _run(sign)
    except TimestampRequestError as exc:
        raise TimestampUnavailable(
            f"the timestamp authority {key.timestamp_url or ''} failed: {exc}"
        ) from exc
    except (SigningError, InvalidCertificateError, PathBuildingError, PathValidationError) as exc:
        raise SealKeyError(f"the sealing certificate cannot seal documents: {exc}") from exc


def check_seal(pdf: bytes, trust_roots_pem: str) -> SealReport:
    """The last signature of ``pdf`` checked against ``trust_roots_pem`` (one or more PEM certificates)."""
    roots = _certificates(trust_roots_pem)
    if not roots:
        raise ValidationFailed.one("trust_roots", "holds no PEM certificate")
    if not isinstance(pdf, bytes) or not is_pdf(pdf):
        raise ValidationFailed.one("pdf", "is not a PDF")
    return _run(lambda: _check(pdf, roots))


async def check_seal_async(pdf: bytes, trust_roots_pem: str) -> SealReport:
    """``check_seal`` for code already on an event loop."""
    roots = _certificates(trust_roots_pem)
    if not roots:
        raise ValidationFailed.one("trust_roots", "holds no PEM certificate")
    if not isinstance(pdf, bytes) or not is_pdf(pdf):
        raise ValidationFailed.one("pdf", "is not a PDF")
    return await _check(pdf, roots)


async def _check(pdf: bytes, roots: list[asn1_x509.Certificate]) -> SealReport:
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValidationFailed.one("pdf", "is not a readable PDF") from exc
    if not embedded:
        return SealReport.unsigned()
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = await async_validate_pdf_signature(embedded[-1], signer_validation_context=context)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        # A signature dictionary too damaged to evaluate is not a seal anyone can rely on.
        log.info("unreadable signature", exc_info=exc)
        return SealReport(True, False, False, None, None, False, "the seal is damaged and cannot be read")
    return _report(status)


def _report(status: PdfSignatureStatus) -> SealReport:
    # Intact: the signed bytes hash as signed, the signature over them verifies with the certificate
    # it names, and nothing but validation data came after. Valid: that certificate is also trusted.
    intact = (
        bool(status.intact)
        and bool(status.valid)
        and bool(status.docmdp_ok is not False)
        and _covers_document(status)
    )
    valid = intact and bool(status.trusted)
    stamp = status.timestamp_validity
    timestamped = stamp is not None and bool(stamp.intact and stamp.valid and stamp.trusted)
    signed_at = stamp.timestamp if stamp is not None else status.signer_reported_dt
    subject = status.signing_cert.subject.human_friendly if status.signing_cert is not None else None
    if not status.intact or not _covers_document(status):
        summary = "the document was changed after it was sealed"
    elif not intact:
        summary = "the seal itself was altered and does not verify"
    elif not valid:
        summary = "the seal is intact but not from a trusted certificate"
    else:
        summary = "the seal is intact and valid" + (", with a trusted timestamp" if timestamped else "")
    return SealReport(True, intact, valid, signed_at, subject, timestamped, summary)


def _covers_document(status: PdfSignatureStatus) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    # Updates after the seal are acceptable only when they add validation data (LTV), nothing else.
    return status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.modification_level in (
        ModificationLevel.NONE,
        ModificationLevel.LTA_UPDATES,
    )


def _signer(key: SealKey) -> signers.SimpleSigner:
    certificate = asn1_x509.Certificate.load(key.certificate)
    chain = [asn1_x509.Certificate.load(der) for der in key.chain]
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_key),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
    )


def _embedding_context(key: SealKey) -> ValidationContext:
    """Validation while sealing only gathers certificates: the chain's top is trusted, nothing fetched,
    and a missing revocation source (a private CA has none) does not stop the seal."""
    certificates = [asn1_x509.Certificate.load(der) for der in (key.certificate, *key.chain)]
    return ValidationContext(
        trust_roots=[certificates[-1]],
        other_certs=certificates[:-1],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _timestamper(key: SealKey) -> TimeStamper:
    if key.timestamp_url:
        return HTTPTimeStamper(key.timestamp_url, timeout=TIMESTAMP_SECONDS)
    if key.tsa_certificate is None or key.tsa_private_key is None:
        raise SealKeyError("KEEL_TIMESTAMP_URL is not set: a timestamped seal needs a timestamp authority")
    tsa = asn1_x509.Certificate.load(key.tsa_certificate)
    issuers = [asn1_x509.Certificate.load(der) for der in key.chain]
    return DummyTimeStamper(
        tsa_cert=tsa,
        tsa_key=asn1_keys.PrivateKeyInfo.load(key.tsa_private_key),
        certs_to_embed=SimpleCertificateStore.from_certs([tsa, *issuers]),
    )


def _certificates(text: str) -> list[asn1_x509.Certificate]:
    if not isinstance(text, str):
        return []
    data = text.encode("ascii", "ignore")
    found = []
    try:
        for kind, _headers, der in pem.unarmor(data, multiple=True):
            if kind == "CERTIFICATE":
                found.append(asn1_x509.Certificate.load(der))
    except ValueError as exc:
        raise ValidationFailed.one("trust_roots", "is not PEM") from exc
    return found


def _run(work: Callable[[], Awaitable[T]]) -> T:
    """Runs pyHanko's coroutine to completion, on a thread of its own when this one has a loop."""

    async def main() -> Any:
        return await work()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()
