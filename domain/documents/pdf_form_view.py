"""How a form's widgets look: appearances set in an embedded font, and flattening them into the page."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject, StreamObject

from domain.documents.pdf_form_tree import (
    COMBO,
    MAX_FIELDS,
    MULTILINE,
    Field,
    choice_options,
    inherited,
    resolved,
    widget_pages,
    widget_rect,
)
from domain.documents.pdf_overlay import Box, Matrix, draw, escape, render_boxes
from domain.errors import ValidationFailed

PASSWORD = 1 << 13
HIDDEN, NO_VIEW = 1 << 1, 1 << 5  # annotation flags: never printed on the page
_TF = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
_RGB = re.compile(r"(\d*\.?\d+)\s+(\d*\.?\d+)\s+(\d*\.?\d+)\s+rg")
_GRAY = re.compile(r"(?<![\d.])(\d*\.?\d+)\s+g(?!\w)")
_MARKS = {"checkbox": "\u2714", "radio": "\u25cf"}
_CSS = ".value { box-sizing: border-box; width: 100%; padding: 0 2pt; overflow: hidden; }"


def set_text_appearances(
    writer: PdfWriter, fields: Iterable[Field], filled: set[str], regenerate_all: bool
) -> None:
    """New appearances for the widgets of filled text and choice fields, of those without one (or of all
    when the form asked viewers to regenerate them), and marks for checked buttons drawn by no stream."""
    targets: list[tuple[DictionaryObject, str | None]] = []
    boxes: list[Box] = []
    for field in fields:
        for widget in field.widgets:
            box, state = _needed_box(field, widget, field.name in filled or regenerate_all)
            if box is not None:
                targets.append((widget, state))
                boxes.append(box)
    if len(boxes) > MAX_FIELDS:
        raise ValidationFailed.one("file", f"has more than {MAX_FIELDS} form widgets to draw")
    for (widget, state), reference in zip(targets, render_boxes(writer, boxes, _CSS), strict=True):
        _attach(widget, state, reference)


def _needed_box(field: Field, widget: DictionaryObject, refresh: bool) -> tuple[Box | None, str | None]:
    rect = widget_rect(widget)
    if rect is None or rect[2] - rect[0] < 1 or rect[3] - rect[1] < 1:
        return None, None
    widget[NameObject("/Rect")] = ArrayObject(FloatObject(round(v, 4)) for v in rect)
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    if field.kind in {"text", "choice"} and (refresh or _normal_stream(widget) is None):
        return Box(width, height, _value_markup(field, widget, width, height)), None
    state = str(widget.get("/AS", "/Off"))
    if field.kind in _MARKS and state != "/Off" and _normal_stream(widget) is None:
        size = min(width, height) * 0.8
        mark = f'<div style="font-size: {size:.2f}pt; line-height: {height:.2f}pt; text-align: center">'
        return Box(width, height, f"{mark}{_MARKS[field.kind]}</div>"), state
    return None, None


def _normal_stream(widget: DictionaryObject) -> StreamObject | None:
    """The appearance a viewer shows for the widget now, if the document has one."""
    appearance = resolved(widget, "/AP")
    normal = resolved(appearance, "/N") if isinstance(appearance, DictionaryObject) else None
    if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
        state = str(widget.get("/AS", "/Off"))
        normal = resolved(normal, state) if state in normal else None
    return normal if isinstance(normal, StreamObject) else None


def _attach(widget: DictionaryObject, state: str | None, reference: IndirectObject) -> None:
    if state is None:
        widget[NameObject("/AP")] = DictionaryObject({NameObject("/N"): reference})
        return
    appearance = resolved(widget, "/AP")
    appearance = (
        DictionaryObject(appearance) if isinstance(appearance, DictionaryObject) else DictionaryObject()
    )
    normal = resolved(appearance, "/N")
    normal = DictionaryObject(normal) if isinstance(normal, DictionaryObject) else DictionaryObject()
    normal[NameObject(state)] = reference
    appearance[NameObject("/N")] = normal
    widget[NameObject("/AP")] = appearance


def _value_markup(field: Field, widget: DictionaryObject, width: float, height: float) -> str:
    text = _shown_text(field)
    multiline = bool(field.flags & MULTILINE) or (field.kind == "choice" and not field.flags & COMBO)
    appearance = str(inherited(widget, "/DA") or "")
    size = _font_size(appearance, text, width, height, multiline)
    align = ("left", "center", "right")[int(inherited(widget, "/Q") or 0) % 3]
    style = (
        f"font-size: {size:.2f}pt; color: {_colour(appearance)}; text-align: {align}; height: {height:.2f}pt;"
    )
    if multiline:
        style += " white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.15; padding-top: 1pt;"
    else:
        style += f" white-space: pre; line-height: {height:.2f}pt;"
    return f'<div class="value" style="{style}">{escape(text)}</div>'


def _shown_text(field: Field) -> str:
    value = field.value()
    if field.kind == "choice":
        labels = dict(choice_options(field.node))
        chosen: list[str] = value if isinstance(value, list) else [value] if value else []
        return "\n".join(labels.get(v, v) for v in chosen)
    text = value if isinstance(value, str) else ""
    return "\u2022" * len(text) if field.flags & PASSWORD else text


def _font_size(appearance: str, text: str, width: float, height: float, multiline: bool) -> float:
    match = _TF.search(appearance)
    size = float(match.group(1)) if match else 0.0
    if 0 < size <= 200:
        return size
    size = min(12.0, height * 0.72)  # 0 means "fit the box", as viewers do
    if not multiline:
        return max(4.0, min(size, (width - 4) / (max(len(text), 1) * 0.56)))
    while size > 4 and _lines(text, width, size) * size * 1.15 > height:
        size *= 0.9
    return size


def _lines(text: str, width: float, size: float) -> int:
    per_line = max(1, int((width - 4) / (size * 0.56)))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))


def _colour(appearance: str) -> str:
    if rgb := _RGB.search(appearance):
        return "rgb({})".format(", ".join(f"{min(float(v), 1) * 100:.1f}%" for v in rgb.groups()))
    if gray := _GRAY.search(appearance):
        level = f"{min(float(gray.group(1)), 1) * 100:.1f}%"
        return f"rgb({level}, {level}, {level})"
    return "black"


def flatten_widgets(writer: PdfWriter, fields: Iterable[Field]) -> None:
    """Draws every visible widget's current appearance into its page, then removes the widgets."""
    pages = widget_pages(writer)
    placements: dict[int, list[tuple[IndirectObject, Matrix]]] = defaultdict(list)
    for field in fields:
        for widget in field.widgets:
            placed = _placement(writer, widget)
            if placed is not None and id(widget) in pages:
                placements[pages[id(widget)]].append(placed)
    for index, page in enumerate(writer.pages):
        draw(writer, page, placements.get(index, []))
        _remove_widgets(page)


def _placement(writer: PdfWriter, widget: DictionaryObject) -> tuple[IndirectObject, Matrix] | None:
    if int(widget.get("/F", 0)) & (HIDDEN | NO_VIEW):
        return None
    stream, rect = _normal_stream(widget), widget_rect(widget)
    if stream is None or rect is None:
        return None
    matrix = _fit(stream, rect)
    if matrix is None:
        return None
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    reference = stream.indirect_reference
    if not isinstance(reference, IndirectObject) or reference.pdf is not writer:
        reference = writer._add_object(stream)
    return reference, matrix


def _fit(stream: StreamObject, rect: tuple[float, float, float, float]) -> Matrix | None:
    """The matrix mapping the appearance's transformed bounding box onto the widget rectangle (PDF 12.5.5)."""
    bbox = resolved(stream, "/BBox")
    if not isinstance(bbox, ArrayObject) or len(bbox) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in bbox)
    given = resolved(stream, "/Matrix")
    a, b, c, d, e, f = (
        (float(v) for v in given)
        if isinstance(given, ArrayObject) and len(given) == 6
        else (1, 0, 0, 1, 0, 0)
    )
    points = [(a * x + c * y + e, b * x + d * y + f) for x in (x0, x1) for y in (y0, y1)]
    left, bottom = min(p[0] for p in points), min(p[1] for p in points)
    width, height = max(p[0] for p in points) - left, max(p[1] for p in points) - bottom
    if width <= 0 or height <= 0:
        return None
    sx, sy = (rect[2] - rect[0]) / width, (rect[3] - rect[1]) / height
    return sx, 0.0, 0.0, sy, rect[0] - left * sx, rect[1] - bottom * sy


def _remove_widgets(page: DictionaryObject) -> None:
    annotations = resolved(page, "/Annots")
    if not isinstance(annotations, ArrayObject):
        return
    kept = ArrayObject(a for a in annotations if resolved_subtype(a) != "/Widget")
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page[NameObject("/Annots")]


def resolved_subtype(annotation: object) -> str:
    target = annotation.get_object() if isinstance(annotation, IndirectObject) else annotation
    return str(target.get("/Subtype")) if isinstance(target, DictionaryObject) else ""
