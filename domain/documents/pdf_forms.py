"""AcroForm PDFs: list the fields, fill them, and optionally flatten them: values printed, form gone.

Values are checked against the field before anything is written: an unknown field, a read-only one,
a checkbox given something other than true or false, a choice given a value it does not offer, each
is an error naming ``fields.<name>``. Appearances of text and choice fields are set again in an
embedded font (see ``pdf_overlay``) rather than left to the viewer, whose copy of the form's font may
be a subset without the letters typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    NameObject,
    TextStringObject,
)

from domain.documents.pdf import DEFAULT_LIMITS, PdfLimits, open_pdf, write_pdf
from domain.documents.pdf_form_tree import (
    COMBO,
    EDIT,
    MULTI_SELECT,
    MULTILINE,
    READ_ONLY,
    REQUIRED,
    Field,
    choice_options,
    read_fields,
    resolved,
    widget_pages,
)
from domain.documents.pdf_form_view import flatten_widgets, set_text_appearances
from domain.errors import FieldError, ValidationFailed

MAX_TEXT = 10_000
_NAME_SHOWN = 120  # characters of an unknown field's name echoed back in its error


@dataclass(frozen=True)
class FormField:
    name: str
    type: str  # text, checkbox, radio, choice, signature, button
    value: Any  # str, bool (checkbox), list[str] (multi-select), or None
    options: tuple[str, ...]
    page: int | None  # 1-based page of its first widget
    required: bool
    read_only: bool
    multiline: bool = False
    multiple: bool = False


def list_fields(data: bytes, *, limits: PdfLimits = DEFAULT_LIMITS) -> list[FormField]:
    """The form's fields in document order; an empty list for a PDF without a form."""
    with open_pdf(data, limits=limits) as reader:
        fields = read_fields(reader)
        pages = widget_pages(reader)
        return [_describe(f, pages) for f in fields.values()]


def _describe(field: Field, pages: dict[int, int]) -> FormField:
    on_pages = [pages[id(w)] for w in field.widgets if id(w) in pages]
    return FormField(
        name=field.name,
        type=field.kind,
        value=field.value(),
        options=tuple(field.options),
        page=min(on_pages) + 1 if on_pages else None,
        required=bool(field.flags & REQUIRED),
        read_only=bool(field.flags & READ_ONLY),
        multiline=field.kind == "text" and bool(field.flags & MULTILINE),
        multiple=field.kind == "choice" and bool(field.flags & MULTI_SELECT),
    )


def fill_form(
    data: bytes, values: Mapping[str, Any], *, flatten: bool = False, limits: PdfLimits = DEFAULT_LIMITS
) -> bytes:
    """``data`` with its fields set from ``values``; with ``flatten``, the values become page content."""
    if not isinstance(values, Mapping):
        raise ValidationFailed.one("fields", "must be an object of field names and values")
    with open_pdf(data, limits=limits) as reader:
        writer = PdfWriter(clone_from=reader)
        fields = read_fields(writer)
        if not fields:
            raise ValidationFailed.one("fields", "the document has no form fields")
        checked = _check_values(fields, values)
        for name, value in checked.items():
            _set_value(fields[name], value)
        form = resolved(writer.root_object, "/AcroForm")
        # A BooleanObject is always truthy: compare, do not cast.
        regenerate_all = form.get("/NeedAppearances", False) == True  # noqa: E712
        set_text_appearances(writer, fields.values(), set(checked), regenerate_all)
        form[NameObject("/NeedAppearances")] = BooleanObject(False)
        if flatten:
            flatten_widgets(writer, fields.values())
            del writer.root_object[NameObject("/AcroForm")]
        return write_pdf(writer)


def _check_values(fields: dict[str, Field], values: Mapping[str, Any]) -> dict[str, Any]:
    errors: list[FieldError] = []
    checked: dict[str, Any] = {}
    for name, value in values.items():
        shown = str(name)[:_NAME_SHOWN]
        field = fields.get(name) if isinstance(name, str) else None
        if field is None:
            errors.append(FieldError(f"fields.{shown}", "is not a field of this form"))
            continue
        try:
            checked[name] = _checked(field, value)
        except ValueError as exc:
            errors.append(FieldError(f"fields.{shown}", str(exc)))
    if errors:
        raise ValidationFailed(errors)
    return checked


def _checked(field: Field, value: Any) -> Any:
    if field.flags & READ_ONLY:
        raise ValueError("is read-only")
    if field.kind == "text":
        return _checked_text(field, value)
    if field.kind == "checkbox":
        return _checked_checkbox(field, value)
    if field.kind == "radio":
        return _checked_radio(field, value)
    if field.kind == "choice":
        return _checked_choice(field, value)
    raise ValueError(f"is a {field.kind} field and cannot be filled")


def _checked_text(field: Field, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("must be a string")
    text = unicodedata.normalize("NFC", str(value))
    limit = field.node.get("/MaxLen")
    limit = min(int(limit), MAX_TEXT) if isinstance(limit, int) and limit > 0 else MAX_TEXT
    if len(text) > limit:
        raise ValueError(f"must be at most {limit} characters")
    allowed = "\n\t" if field.flags & MULTILINE else "\t"
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text) or _LONE.search(text):
        raise ValueError(
            "must not contain control characters" + ("" if "\n" in allowed else " or line breaks")
        )
    return text.replace("\r\n", "\n")


_LONE = re.compile("[\ud800-\udfff]")


def _checked_checkbox(field: Field, value: Any) -> str:
    states = field.button_states()
    if value is False or value is None:
        return "/Off"
    if value is True and states:
        return states[0][1]
    for export, state in states:
        if isinstance(value, str) and value == export:
            return state
    raise ValueError("must be true or false")


def _checked_radio(field: Field, value: Any) -> str:
    if value is None:
        return "/Off"
    for export, state in field.button_states():
        if isinstance(value, str) and value == export:
            return state
    raise ValueError(f"must be one of: {', '.join(field.options)}")


def _checked_choice(field: Field, value: Any) -> str | list[str]:
    exports = [export for export, _ in choice_options(field.node)]
    shown = ", ".join(exports)
    if field.flags & MULTI_SELECT and isinstance(value, list):
        if not all(isinstance(v, str) and v in exports for v in value) or len(set(value)) != len(value):
            raise ValueError(f"must list distinct values among: {shown}")
        return list(value)
    if not isinstance(value, str):
        raise ValueError(f"must be one of: {shown}")
    free_text = field.flags & COMBO and field.flags & EDIT and len(value) <= MAX_TEXT
    if (value in exports or free_text) and not any(unicodedata.category(ch) == "Cc" for ch in value):
        return value
    raise ValueError(f"must be one of: {shown}")


def _set_value(field: Field, value: Any) -> None:
    node = field.node
    if field.kind in {"checkbox", "radio"}:
        node[NameObject("/V")] = NameObject(value)
        for index, widget in enumerate(field.widgets):
            shown = value if field.widget_state(index) == value else "/Off"
            widget[NameObject("/AS")] = NameObject(shown)
        return
    if isinstance(value, list):
        node[NameObject("/V")] = ArrayObject(TextStringObject(v) for v in value)
    else:
        node[NameObject("/V")] = TextStringObject(value)
    if "/I" in node:
        del node[NameObject("/I")]  # selected indexes would contradict the new value
