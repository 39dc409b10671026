"""The completed document: every signer's values drawn into their boxes, and a certificate of
completion appended as the last page. The result is not sealed yet (``seal.seal_pdf`` does that).

Boxes are in PDF points from the displayed page's top-left corner, as signers saw the page. Typed
values are real text set by WeasyPrint in an embedded font (extractable, any script); a drawn
signature is the signer's PNG placed as an image, scaled into its box with its proportions kept.
Every input is bounded and checked first; a problem is a ``ValidationFailed`` naming the field
(``fields.N`` for the N-th placement), and nothing is drawn.
"""

from __future__ import annotations

import io
import math
import struct
import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import jinja2
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import IndirectObject, NameObject, NumberObject, StreamObject

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, open_pdf, page_size, write_pdf
from domain.documents.pdf_overlay import Box, Matrix, draw, escape, page_matrix, render_boxes
from domain.documents.rendering import render_pdf
from domain.errors import FieldError, ValidationFailed
from domain.locales import babel_locale, format_day

Kind = Literal["signature", "initials", "date", "text"]
KINDS: tuple[str, ...] = ("signature", "initials", "date", "text")
MAX_PLACEMENTS = 500
MAX_TEXT_CHARS = 500  # a text field's value
MAX_PNG_BYTES = 200 * 1024
MAX_PNG_SIDE = 4000  # pixels, either side
MAX_PNG_PIXELS = 4_000_000
MAX_TOTAL_PIXELS = 16_000_000  # all distinct drawn images of one document, decoded (4 bytes a pixel)
MAX_SIGNERS = 100
MAX_EVENTS = 1000
CERTIFICATE_PAGES = 20
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SCRIPT_FONT = '"DejaVu Serif", serif'  # italic: no script face is installed, and none is downloaded
INK = "rgb(20, 40, 120)"
_TEMPLATE = Path(__file__).with_name("certificate.html")


@dataclass(frozen=True)
class Placement:
    """One value in its box: page is 1-based; x, y, width, height in points from the top-left."""

    page: int
    x: float
    y: float
    width: float
    height: float
    kind: Kind
    value: str
    drawn_png: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class CertificateSigner:
    name: str
    email: str
    role: str = "signer"
    signed_at: datetime | str | None = None
    ip: str | None = None
    user_agent: str | None = None
    auth: str = "email"
    signature_type: str | None = None  # typed | drawn; None for an approver or cc


@dataclass(frozen=True)
class CertificateEvent:
    at: datetime | str
    action: str
    signer: str | None = None
    ip: str | None = None


@dataclass(frozen=True)
class CompletionCertificate:
    """What the certificate page says. Signers and events may be given as these dataclasses, as
    mappings or as objects with the same names (e.g. pydantic models); they are read once, here."""

    title: str
    document_name: str
    original_sha256: str
    completed_at: datetime | str
    signers: Sequence[Any]
    events: Sequence[Any]
    locale: str = "en"  # how dates typed into date fields are written

    def __post_init__(self) -> None:
        if len(self.signers) > MAX_SIGNERS:
            raise ValidationFailed.one("certificate.signers", f"must have at most {MAX_SIGNERS} signers")
        if len(self.events) > MAX_EVENTS:
            raise ValidationFailed.one("certificate.events", f"must have at most {MAX_EVENTS} events")
        signers = tuple(
            _as(CertificateSigner, s, f"certificate.signers.{i}") for i, s in enumerate(self.signers)
        )
        events = tuple(_as(CertificateEvent, e, f"certificate.events.{i}") for i, e in enumerate(self.events))
        object.__setattr__(self, "signers", signers)
        object.__setattr__(self, "events", events)


_Row = TypeVar("_Row", CertificateSigner, CertificateEvent)


def _as(kind: type[_Row], item: object, where: str) -> _Row:
    if isinstance(item, kind):
        return item
    values: dict[str, Any] = {}
    for f in fields(kind):
        value = item.get(f.name) if isinstance(item, Mapping) else getattr(item, f.name, None)
        if value is not None:
            values[f.name] = value
    try:
        return kind(**values)
    except TypeError as exc:
        raise ValidationFailed.one(where, f"needs {', '.join(f.name for f in fields(kind))}") from exc


def complete_pdf(
    pdf: bytes,
    placements: list[Placement],
    certificate: CompletionCertificate,
    *,
    limits: PdfLimits = DEFAULT_LIMITS,
) -> bytes:
    """``pdf`` with each placement drawn into its box and the certificate of completion appended."""
    if len(placements) > MAX_PLACEMENTS:
        raise ValidationFailed.one("fields", f"must have at most {MAX_PLACEMENTS} values")
    images = _decoded_images(placements)
    certificate_pdf = render_pdf(_certificate_html(certificate), max_pages=CERTIFICATE_PAGES).pdf
    with open_pdf(pdf, field="pdf", limits=limits) as reader:
        sizes = [page_size(page) for page in reader.pages]
        _check_boxes(placements, sizes)
        writer = PdfWriter(clone_from=reader)
        _draw_values(writer, placements, images, certificate.locale)
        writer.append(PdfReader(io.BytesIO(certificate_pdf)))
        return write_pdf(writer)


def certificate_html(certificate: CompletionCertificate) -> str:
    """The certificate page as HTML (what ``complete_pdf`` appends), for previews."""
    return _certificate_html(certificate)


# --- checks ---------------------------------------------------------------------------------------


def _check_boxes(placements: Sequence[Placement], sizes: Sequence[tuple[float, float]]) -> None:
    errors: list[FieldError] = []
    for i, p in enumerate(placements):
        where = f"fields.{i}"
        if p.kind not in KINDS:
            errors.append(FieldError(f"{where}.kind", f"must be one of {', '.join(KINDS)}"))
        if isinstance(p.page, bool) or not isinstance(p.page, int) or not 1 <= p.page <= len(sizes):
            errors.append(FieldError(f"{where}.page", f"must be a page from 1 to {len(sizes)}"))
            continue
        numbers = (p.x, p.y, p.width, p.height)
        if not all(
            isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n) for n in numbers
        ):
            errors.append(FieldError(where, "x, y, width and height must be numbers"))
            continue
        width, height = sizes[p.page - 1]
        if p.width < 4 or p.height < 4:
            errors.append(FieldError(where, "the box must be at least 4 points wide and high"))
        elif p.x < 0 or p.y < 0 or p.x + p.width > width + 0.5 or p.y + p.height > height + 0.5:
            errors.append(
                FieldError(where, f"the box lies outside page {p.page} ({width:g} x {height:g} points)")
            )
        if p.drawn_png is None:
            problem = _text_problem(p)
            if problem:
                errors.append(FieldError(f"{where}.value", problem))
    if errors:
        raise ValidationFailed(errors, "; ".join(f"{e.field}: {e.message}" for e in errors))


def _text_problem(p: Placement) -> str | None:
    if not isinstance(p.value, str):
        return "must be text"
    limit = 100 if p.kind in ("signature", "initials") else MAX_TEXT_CHARS
    if len(p.value) > limit:
        return f"must be at most {limit} characters"
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in p.value if ch != "\n"):
        return "must be printable text"
    return None


@dataclass(frozen=True)
class _Png:
    width: int
    height: int
    rgb: bytes
    alpha: bytes | None


def _decoded_images(placements: Sequence[Placement]) -> list[_Png | None]:
    """Each placement's image; one signature repeated in many boxes is decoded (and embedded) once."""
    decoded: dict[bytes, _Png] = {}
    images: list[_Png | None] = []
    total = 0
    for i, p in enumerate(placements):
        image = decoded.get(p.drawn_png) if isinstance(p.drawn_png, bytes) else None
        if image is None:
            image = _checked_png(i, p)
            if image is not None and p.drawn_png is not None:
                total += image.width * image.height
                if total > MAX_TOTAL_PIXELS:
                    raise ValidationFailed.one(
                        f"fields.{i}.value", f"the drawn images exceed {MAX_TOTAL_PIXELS:,} pixels in all"
                    )
                decoded[p.drawn_png] = image
        images.append(image)
    return images


def _checked_png(index: int, p: Placement) -> _Png | None:
    """The drawn signature decoded, after its size, format and dimensions are checked."""
    if p.drawn_png is None:
        return None
    where = f"fields.{index}.value"
    data = p.drawn_png
    if not isinstance(data, bytes) or not data.startswith(PNG_MAGIC):
        raise ValidationFailed.one(where, "the drawn signature must be a PNG image")
    if len(data) > MAX_PNG_BYTES:
        raise ValidationFailed.one(where, f"the drawn signature must be at most {MAX_PNG_BYTES // 1024} kB")
    # The header's dimensions are checked before decoding: a small file may inflate enormously.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ValidationFailed.one(where, "the drawn signature is not a readable PNG")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE and width * height <= MAX_PNG_PIXELS):
        raise ValidationFailed.one(
            where,
            f"the drawn signature must be at most {MAX_PNG_SIDE} pixels a side, {MAX_PNG_PIXELS:,} in all",
        )
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as image:
            image.load()
            rgba = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationFailed.one(where, "the drawn signature is not a readable PNG") from exc
    rgb = rgba.convert("RGB").tobytes()
    alpha_band = rgba.getchannel("A")
    alpha = None if alpha_band.getextrema() == (255, 255) else alpha_band.tobytes()
    return _Png(rgba.width, rgba.height, rgb, alpha)


# --- drawing --------------------------------------------------------------------------------------


def _draw_values(
    writer: PdfWriter, placements: Sequence[Placement], images: Sequence[_Png | None], locale: str
) -> None:
    # An optional field left empty draws nothing (the signing step decides what is required).
    drawn = [(i, p) for i, p in enumerate(placements) if images[i] is not None or p.value.strip()]
    typed = [(i, p) for i, p in drawn if images[i] is None]
    boxes = [Box(p.width, p.height, _markup(p, locale)) for _, p in typed]
    forms = dict(zip((i for i, _ in typed), render_boxes(writer, boxes, _CSS), strict=True))
    by_page: dict[int, list[tuple[IndirectObject, Matrix]]] = {}
    embedded: dict[int, IndirectObject] = {}  # id of a decoded image -> its XObject
    frames = {}
    for i, p in drawn:
        page = writer.pages[p.page - 1]
        if p.page not in frames:
            frames[p.page] = page_matrix(page)
        _, page_height, to_page = frames[p.page]
        image = images[i]
        if image is None:
            local: Matrix = (1, 0, 0, 1, p.x, page_height - p.y - p.height)
            by_page.setdefault(p.page, []).append((forms[i], _times(local, to_page)))
        else:
            if id(image) not in embedded:
                embedded[id(image)] = _image_xobject(writer, image)
            fitted = _times(_fitted(image, p, page_height), to_page)
            by_page.setdefault(p.page, []).append((embedded[id(image)], fitted))
    for number, drawings in by_page.items():
        draw(writer, writer.pages[number - 1], drawings)


_CSS = f"""
.v {{ position: absolute; left: 0; right: 0; top: 0; bottom: 0; white-space: nowrap;
  color: rgb(15, 15, 15); }}
.script {{ font-family: {SCRIPT_FONT}; font-style: italic; color: {INK}; }}
.wrap {{ white-space: pre-wrap; overflow-wrap: anywhere; }}
"""


def _markup(p: Placement, locale: str) -> str:
    """A value as markup filling its box; the text escaped, sized to fit its box on one line."""
    text = _date_text(p.value, locale) if p.kind == "date" else p.value.strip()
    if p.kind in ("signature", "initials"):
        size = min(p.height * 0.62, p.width / (max(len(text), 1) * 0.52))
        css = "v script"
    elif p.kind == "date" or "\n" not in text:
        size = min(p.height * 0.6, 12.0, p.width / (max(len(text), 1) * 0.55))
        css = "v"
    else:  # several lines of text
        size = min(p.height * 0.6, 10.0)
        return f'<div class="v wrap" style="font-size: {size:.2f}pt; line-height: 1.2">{escape(text)}</div>'
    size = max(size, 3.0)
    padding = min(2.0, p.width * 0.05)
    style = f"font-size: {size:.2f}pt; line-height: {p.height:.2f}pt; padding-left: {padding:.2f}pt"
    return f'<div class="{css}" style="{style}">{escape(text)}</div>'


def _date_text(value: str, locale: str) -> str:
    text = value.strip()
    try:
        day: date = datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text)
    except ValueError:
        return text  # already written out: kept as the signer saw it
    return format_day(day, str(babel_locale(locale)))


def _fitted(image: _Png, p: Placement, page_height: float) -> Matrix:
    """The image's unit square scaled into the box, proportions kept, centred."""
    scale = min(p.width / image.width, p.height / image.height)
    w, h = image.width * scale, image.height * scale
    left = p.x + (p.width - w) / 2
    bottom = page_height - p.y - p.height + (p.height - h) / 2
    return (w, 0, 0, h, left, bottom)


def _times(a: Matrix, b: Matrix) -> Matrix:
    """``a`` then ``b``, as PDF's ``cm`` composes them."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _image_xobject(writer: PdfWriter, image: _Png) -> IndirectObject:
    xobject = _image_stream(image.width, image.height, "/DeviceRGB", image.rgb)
    if image.alpha is not None:
        mask = _image_stream(image.width, image.height, "/DeviceGray", image.alpha)
        xobject[NameObject("/SMask")] = writer._add_object(mask)
    return writer._add_object(xobject)


def _image_stream(width: int, height: int, colour_space: str, samples: bytes) -> StreamObject:
    stream = StreamObject()
    stream._data = zlib.compress(samples, 6)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject(colour_space),
            NameObject("/BitsPerComponent"): NumberObject(8),
            NameObject("/Filter"): NameObject("/FlateDecode"),
        }
    )
    return stream


# --- the certificate page -------------------------------------------------------------------------

_ENVIRONMENT = jinja2.Environment(
    autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
)


def _when(value: datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return _clip(value, 40)
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M:%S")  # the headings say UTC


def _clip(value: object, limit: int = 200) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_ENVIRONMENT.filters["when"] = _when
_ENVIRONMENT.filters["clip"] = _clip


def _certificate_html(certificate: CompletionCertificate) -> str:
    template = _ENVIRONMENT.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    return template.render(c=certificate)
