"""An AcroForm's fields as a flat list: fully qualified names, types, values, options, widgets.

The field tree comes from the document, so it is walked with a bound on depth and count and a check
for cycles, and it is read as real producers write it: WeasyPrint gives the widgets of a radio group
their own ``/T`` and lists them in ``/Fields`` next to their parent; many producers write inverted
rectangles. A radio group's widget children are its buttons, never fields of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from domain.errors import ValidationFailed

MAX_FIELDS = 2_000
MAX_DEPTH = 32
READ_ONLY = 1
REQUIRED = 1 << 1
MULTILINE = 1 << 12
RADIO = 1 << 15
PUSHBUTTON = 1 << 16
COMBO = 1 << 17
EDIT = 1 << 18
MULTI_SELECT = 1 << 21


@dataclass
class Field:
    name: str
    node: DictionaryObject
    kind: str  # text, checkbox, radio, choice, signature or button
    flags: int
    widgets: list[DictionaryObject] = field(default_factory=list)

    @property
    def options(self) -> list[str]:
        """The values the field accepts: a choice's export values, a button's "on" values."""
        if self.kind == "choice":
            return [export for export, _ in choice_options(self.node)]
        if self.kind in {"checkbox", "radio"}:
            return [value for value, _ in self.button_states()]
        return []

    def button_states(self) -> list[tuple[str, str]]:
        """(export value, appearance state name) per widget of a checkbox or a radio group."""
        opt = resolved(self.node, "/Opt")
        exports = [str(item) for item in opt] if isinstance(opt, ArrayObject) else []
        found: list[tuple[str, str]] = []
        for index in range(len(self.widgets)):
            state = self.widget_state(index)
            export = exports[index] if index < len(exports) else state.removeprefix("/")
            if export not in (value for value, _ in found):
                found.append((export, state))
        return found

    def widget_state(self, index: int) -> str:
        """The appearance state that shows widget ``index`` on; made up (as viewers do) if it has none."""
        state = on_state(self.widgets[index])
        if state is not None:
            return state
        return "/Yes" if self.kind == "checkbox" else f"/{index}"

    def value(self) -> Any:
        raw = inherited(self.node, "/V")
        if self.kind == "checkbox":
            return raw is not None and str(raw) != "/Off"
        if self.kind == "radio":
            return next((export for export, state in self.button_states() if state == str(raw)), None)
        if isinstance(raw, ArrayObject):
            return [str(item) for item in raw]
        return None if raw is None else str(raw)


def choice_options(node: DictionaryObject) -> list[tuple[str, str]]:
    """(export value, display text) of each option of a choice field."""
    options = []
    options_array = inherited(node, "/Opt")
    for item in options_array if isinstance(options_array, ArrayObject) else []:
        item = item.get_object()
        if isinstance(item, ArrayObject) and len(item) >= 2:
            options.append((str(item[0]), str(item[1])))
        else:
            options.append((str(item), str(item)))
    return options


def on_state(widget: DictionaryObject) -> str | None:
    appearance = resolved(widget, "/AP")
    normal = resolved(appearance, "/N") if isinstance(appearance, DictionaryObject) else None
    if isinstance(normal, DictionaryObject):
        states = [str(name) for name in normal if str(name) != "/Off"]
        if states:
            return states[0]
    return None


def inherited(node: DictionaryObject, key: str) -> Any:
    """``key`` of the field or of its nearest ancestor, as field attributes inherit."""
    current: DictionaryObject | None = node
    for _ in range(MAX_DEPTH):
        if current is None:
            return None
        if key in current:
            return current[key]
        parent = resolved(current, "/Parent")
        current = parent if isinstance(parent, DictionaryObject) else None
    return None


def resolved(node: DictionaryObject, key: str) -> Any:
    """``node[key]`` with an indirect reference followed, or None."""
    value = node.get(key)
    return value.get_object() if value is not None else None


def read_fields(document: PdfReader | PdfWriter, field_name: str = "file") -> dict[str, Field]:
    """Every terminal field of the document's form by qualified name; empty without a form."""
    form = resolved(document.root_object, "/AcroForm")
    roots = resolved(form, "/Fields") if isinstance(form, DictionaryObject) else None
    if not isinstance(roots, ArrayObject):
        return {}
    found: dict[str, Field] = {}
    seen: set[int] = set()
    stack: list[tuple[Any, str, int, frozenset[int]]] = [
        (ref, "", 0, frozenset()) for ref in reversed(list(roots))
    ]
    while stack:
        ref, prefix, depth, ancestors = stack.pop()
        node = ref.get_object()
        key = _identity(ref)
        if key in ancestors:
            raise ValidationFailed.one(field_name, "has a cyclic form field tree")
        if not isinstance(node, DictionaryObject) or key in seen or (depth == 0 and "/Parent" in node):
            continue  # not a field, already read, or a child listed at the top too
        if depth > MAX_DEPTH or len(seen) >= 10 * MAX_FIELDS:
            raise ValidationFailed.one(field_name, "has too many form fields")
        seen.add(key)
        name = _qualified(prefix, node)
        children = _child_fields(node)
        if children:
            stack.extend((kid, name, depth + 1, ancestors | {key}) for kid in reversed(children))
            continue
        _add_terminal(found, name, node, field_name)
    return found


def _identity(ref: Any) -> int:
    return ref.idnum if isinstance(ref, IndirectObject) else id(ref)


def _qualified(prefix: str, node: DictionaryObject) -> str:
    part = str(node["/T"]) if "/T" in node else ""
    return f"{prefix}.{part}" if prefix and part else prefix or part


def _child_fields(node: DictionaryObject) -> list[Any]:
    kids = resolved(node, "/Kids")
    if not isinstance(kids, ArrayObject) or _is_radio_group(node):
        return []
    return [
        kid for kid in kids if isinstance(kid.get_object(), DictionaryObject) and "/T" in kid.get_object()
    ]


def _is_radio_group(node: DictionaryObject) -> bool:
    return str(inherited(node, "/FT")) == "/Btn" and int(inherited(node, "/Ff") or 0) & RADIO != 0


def _add_terminal(found: dict[str, Field], name: str, node: DictionaryObject, field_name: str) -> None:
    if not name:
        return
    kids = resolved(node, "/Kids")
    widgets = [kid.get_object() for kid in kids] if isinstance(kids, ArrayObject) else [node]
    widgets = [w for w in widgets if isinstance(w, DictionaryObject)]
    if name in found:  # fields of one name share one value: their widgets are one field's
        found[name].widgets.extend(widgets)
        return
    if len(found) >= MAX_FIELDS:
        raise ValidationFailed.one(field_name, f"has more than {MAX_FIELDS} form fields")
    flags = int(inherited(node, "/Ff") or 0)
    found[name] = Field(name, node, _kind(str(inherited(node, "/FT")), flags), flags, widgets)


def _kind(field_type: str, flags: int) -> str:
    if field_type == "/Tx":
        return "text"
    if field_type == "/Ch":
        return "choice"
    if field_type == "/Sig":
        return "signature"
    if field_type == "/Btn":
        if flags & PUSHBUTTON:
            return "button"
        return "radio" if flags & RADIO else "checkbox"
    return "unknown"


def widget_pages(document: PdfReader | PdfWriter) -> dict[int, int]:
    """The 0-based page of each widget annotation, by object identity."""
    pages: dict[int, int] = {}
    for index, page in enumerate(document.pages):
        annotations = resolved(page, "/Annots")
        if not isinstance(annotations, ArrayObject):
            continue
        for ref in annotations:
            annotation = ref.get_object()
            if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == "/Widget":
                pages.setdefault(id(annotation), index)
    return pages


def widget_rect(widget: DictionaryObject) -> tuple[float, float, float, float] | None:
    """The widget's rectangle as (left, bottom, right, top), whichever corners it names; None if unusable."""
    rect = resolved(widget, "/Rect")
    if not isinstance(rect, ArrayObject) or len(rect) != 4:
        return None
    x1, y1, x2, y2 = (float(v.get_object()) for v in rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
