"""Small boxes of real text, laid out by WeasyPrint, drawn onto existing PDF pages.

A stamp or a filled form value must print any script the user types, so it is set in an embedded
font (WeasyPrint subsets one per render) instead of a standard PDF font that knows Latin-1 only.
Each box becomes a Form XObject in the target document; drawing one appends a content stream after
the page's own, which is wrapped in ``q``/``Q`` so that a page leaving its graphics state changed
cannot move or skew the box. The page's content is never parsed or rewritten: a page too complex to
parse can still be stamped.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)
from weasyprint import HTML
from weasyprint.urls import URLFetcher

Matrix = tuple[float, float, float, float, float, float]
FONT_STACK = '"DejaVu Sans", "Noto Sans", "Liberation Sans", sans-serif'


@dataclass(frozen=True)
class Box:
    """One box of ``width`` x ``height`` points; ``body`` is markup whose user text is already escaped."""

    width: float
    height: float
    body: str


class _NoFetching(URLFetcher):
    """The markup is ours and needs no resource: anything that asks for one gets nothing."""

    def fetch(self, url: str, headers: object = None) -> object:
        raise ValueError("overlays fetch nothing")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def render_boxes(writer: PdfWriter, boxes: Sequence[Box], css: str) -> list[IndirectObject]:
    """Each box as a Form XObject added to ``writer``, in order. ``css`` styles the boxes' bodies."""
    if not boxes:
        return []
    pages = "".join(
        f"@page b{i} {{ size: {_pt(box.width)} {_pt(box.height)}; margin: 0 }}\n"
        f".b{i} {{ page: b{i}; width: {_pt(box.width)}; height: {_pt(box.height)} }}\n"
        for i, box in enumerate(boxes)
    )
    sections = "".join(f'<section class="box b{i}">{box.body}</section>' for i, box in enumerate(boxes))
    document = (
        "<!doctype html><html><head><style>"
        f"html, body {{ margin: 0; padding: 0 }} .box {{ position: relative; overflow: hidden;"
        f" break-after: page; font-family: {FONT_STACK} }}\n{pages}{css}"
        f"</style></head><body>{sections}</body></html>"
    )
    rendered = HTML(string=document, url_fetcher=_NoFetching()).write_pdf()
    reader = PdfReader(io.BytesIO(rendered))
    if len(reader.pages) != len(boxes):
        raise RuntimeError(f"{len(boxes)} overlay boxes rendered as {len(reader.pages)} pages")
    return [_as_xobject(writer, page, box) for page, box in zip(reader.pages, boxes, strict=True)]


def _pt(value: float) -> str:
    return f"{value:.3f}pt"


def _as_xobject(writer: PdfWriter, page: DictionaryObject, box: Box) -> IndirectObject:
    contents = page["/Contents"]
    parts: list[Any] = list(contents) if isinstance(contents, ArrayObject) else [contents]
    data = b"\n".join(part.get_object().get_data() for part in parts)
    # A copy of its own: the rendered pages share one resource dictionary, and the fonts are renamed below.
    cloned: Any = page["/Resources"].clone(writer)
    resources = DictionaryObject(cloned)
    data = _rename_fonts(resources, data, prefix=f"K{len(writer._objects) + 1}")
    form = DecodedStreamObject()
    form.set_data(data)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), *_floats(box.width, box.height)]
            ),
            NameObject("/Resources"): resources,
        }
    )
    return writer._add_object(form.flate_encode())


def _rename_fonts(resources: DictionaryObject, data: bytes, prefix: str) -> bytes:
    """Gives the box's fonts names of their own. WeasyPrint names a font after its face, so a page made
    by WeasyPrint uses the same name for another subset, and text extraction would mix the two up.
    The content is WeasyPrint's (user text in it is hex glyph codes), so renaming its operands is safe."""
    fonts = resources.get("/Font")
    if fonts is None:
        return data
    fonts = fonts.get_object()
    renamed = DictionaryObject({NameObject(f"/{prefix}{name[1:]}"): fonts.raw_get(name) for name in fonts})
    for name in fonts:
        data = re.sub(re.escape(name.encode()) + rb"(?=[\s/\[<(])", f"/{prefix}{name[1:]}".encode(), data)
    resources[NameObject("/Font")] = renamed
    return data


def _floats(*values: float) -> list[FloatObject]:
    return [FloatObject(round(value, 4)) for value in values]


def draw(
    writer: PdfWriter, page: DictionaryObject, placements: Sequence[tuple[IndirectObject, Matrix]]
) -> None:
    """Draws each Form XObject on ``page`` with its matrix, over the page's own content."""
    if not placements:
        return
    xobjects = _own_xobjects(page)
    operations = []
    for reference, matrix in placements:
        name = _free_name(xobjects)
        xobjects[NameObject(name)] = reference
        operations.append(f"q {' '.join(f'{v:.4f}' for v in matrix)} cm {name} Do Q")
    _wrap_contents(writer, page, ("\n".join(operations) + "\n").encode("ascii"))


def _own_xobjects(page: DictionaryObject) -> DictionaryObject:
    """The page's ``/XObject`` resources as its own dictionary; a shared or inherited one stays as it was."""
    inherited = page.get_inherited("/Resources", DictionaryObject())
    resources = DictionaryObject(inherited.get_object() if inherited else {})
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    return xobjects


def _free_name(xobjects: DictionaryObject) -> str:
    index = len(xobjects)
    while f"/KeelOverlay{index}" in xobjects:
        index += 1
    return f"/KeelOverlay{index}"


def _wrap_contents(writer: PdfWriter, page: DictionaryObject, drawing: bytes) -> None:
    existing: list[PdfObject] = []
    if "/Contents" in page:
        contents = page.raw_get("/Contents")
        resolved = contents.get_object()
        if isinstance(resolved, ArrayObject):
            existing = list(resolved)
        elif isinstance(resolved, StreamObject):
            existing = [contents if isinstance(contents, IndirectObject) else writer._add_object(resolved)]
    before = writer._add_object(_stream(b"q\n"))
    after = writer._add_object(_stream(b"\nQ\n" + drawing))
    page[NameObject("/Contents")] = ArrayObject([before, *existing, after])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def page_matrix(page: DictionaryObject) -> tuple[float, float, Matrix]:
    """The displayed width and height of ``page`` and the matrix drawing a box of that size over it upright.

    A box is designed as the reader sees the page; the matrix undoes ``/Rotate`` and the crop box's
    offset so that it lands where it was designed to, whichever way the page is stored.
    """
    box = page.cropbox  # type: ignore[attr-defined]
    x0, y0 = float(min(box.left, box.right)), float(min(box.bottom, box.top))
    w, h = abs(float(box.width)), abs(float(box.height))
    rotation = page.rotation % 360  # type: ignore[attr-defined]
    if rotation == 90:
        return h, w, (0, 1, -1, 0, x0 + w, y0)
    if rotation == 180:
        return w, h, (-1, 0, 0, -1, x0 + w, y0 + h)
    if rotation == 270:
        return h, w, (0, -1, 1, 0, x0, y0 + h)
    return w, h, (1, 0, 0, 1, x0, y0)
