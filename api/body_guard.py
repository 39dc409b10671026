"""Sanity checks on raw request input, run by the middleware before any route parses it.

PostgreSQL refuses NUL in text and lone surrogates in UTF-8, Python's JSON parser recurses once per
nesting level, and ``NaN``/``1e400`` are not numbers any column or JSON Schema holds: each of these
is a 422 naming the field, decided here once for every route instead of surfacing as a 500 later.
Common inputs cost a few regular-expression passes; the full parse that names a JSON pointer only
runs when a pass found a suspect.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any, NamedTuple
from urllib.parse import unquote_to_bytes

# A complete JSON string literal, as an unrolled loop: runs of plain characters, then one escape.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}
# Suspects, to be confirmed by a full parse: escapes of NUL or of a UTF-16 surrogate (in strings),
# non-finite constants, and exponents or digit runs large enough to overflow a float (outside strings).
_SUSPECT_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_BIG_EXPONENT = re.compile(r"[eE]\+?0*[1-9]\d\d")
_LONG_DIGITS = re.compile(r"\d{300}")


class Refusal(NamedTuple):
    field: str
    message: str
    malformed: bool = False  # a 400 bad_request (the body is not JSON at all), not a 422


class _NotFinite:
    """Stands for a constant or a number the parser would turn into nan or inf."""


_NOT_FINITE = _NotFinite()


def is_json(content_type: str | None) -> bool:
    """The bodies FastAPI parses as JSON: no content type, ``application/json`` or ``…+json``."""
    if not content_type:
        return True
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


def check_json(body: bytes, max_depth: int) -> Refusal | None:
    """A refusal for a JSON body nobody should store, or None (malformed JSON is left to the parser)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        try:
            body.decode("utf-8", "surrogatepass")  # Python's JSON parser would accept these
        except UnicodeDecodeError:
            # JSON on the wire is UTF-8 (RFC 8259); a route reading the raw body would fail decoding.
            return Refusal("body", "is not UTF-8", malformed=True)
        return Refusal("body", "contains a lone UTF-16 surrogate, which is not a character")
    skeleton = _STRING.sub('""', text)
    if _too_deep(_NOT_BRACKET.sub("", skeleton), max_depth):
        return Refusal("body", f"nests deeper than {max_depth} levels")
    suspect_number = "NaN" in skeleton or "Infinity" in skeleton or _BIG_EXPONENT.search(skeleton)
    if not (suspect_number or _LONG_DIGITS.search(skeleton) or _SUSPECT_ESCAPE.search(text)):
        return None
    try:
        value = json.loads(text, parse_constant=lambda _: _NOT_FINITE, parse_float=_float)
    except (ValueError, RecursionError):
        return None
    return _first_bad(value, "")


def _too_deep(brackets: str, max_depth: int) -> bool:
    """Peels innermost pairs off, one level per pass (each pass in C); what survives ``max_depth``
    passes is deep or unbalanced, and is then measured exactly."""
    original = brackets
    for _ in range(max_depth):
        if not brackets:
            return False
        brackets = _INNERMOST.sub("", brackets)
    return bool(brackets) and max(accumulate(_DEPTH[c] for c in original)) > max_depth


def _float(text: str) -> Any:
    number = float(text)
    return number if math.isfinite(number) else _NOT_FINITE


def _first_bad(value: Any, pointer: str) -> Refusal | None:
    """Depth-first, iteratively; the depth scan already bounded how deep ``value`` goes."""
    stack: list[tuple[Any, str]] = [(value, pointer)]
    while stack:
        item, where = stack.pop()
        if item is _NOT_FINITE:
            return Refusal(where or "body", "must be a finite number (no NaN, Infinity or overflow)")
        if isinstance(item, str):
            if (problem := text_problem(item)) is not None:
                return Refusal(where or "body", problem)
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                if (problem := text_problem(key)) is not None:
                    return Refusal(where or "body", f"has a key that {problem}")
                child_at = f"{where}/{_escape(key)}"
                stack.append((child, child_at))
        elif isinstance(item, list):
            stack.extend((child, f"{where}/{i}") for i, child in reversed(list(enumerate(item))))
    return None


def _escape(key: str) -> str:
    """RFC 6901 escaping of one pointer token."""
    return key.replace("~", "~0").replace("/", "~1")


def text_problem(value: str) -> str | None:
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone UTF-16 surrogate, which is not a character"
    return None


def check_urlencoded(raw: bytes, what: str) -> Refusal | None:
    """Query strings and form bodies: each name and value must decode to UTF-8 text without NUL."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name_raw, _, value_raw = pair.partition(b"=")
        name = _decode(name_raw)
        if name is None or (problem := text_problem(name)) is not None:
            return Refusal(what, "has a parameter name that is not valid UTF-8 text without NUL")
        value = _decode(value_raw)
        if value is None:
            return Refusal(name, "is not valid UTF-8")
        if (problem := text_problem(value)) is not None:
            return Refusal(name, problem)
    return None


def _decode(raw: bytes) -> str | None:
    try:
        return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return None


def check_path(raw_path: bytes) -> Refusal | None:
    """Path segments: the same rule as parameters (the router has not named them yet)."""
    for segment in raw_path.split(b"/"):
        try:
            text = unquote_to_bytes(segment).decode("utf-8")
        except UnicodeDecodeError:
            return Refusal("path", "is not valid UTF-8")
        if "\x00" in text:
            return Refusal("path", "must not contain NUL characters")
    return None


def check_multipart(body: bytes, content_type: str) -> Refusal | None:
    """Text fields of a multipart form (parts without a file name) follow the same rule; files pass."""
    from python_multipart.multipart import MultipartParser, parse_options_header

    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        return None
    found: list[Refusal] = []
    part: dict[str, Any] = {}

    def on_part_begin() -> None:
        part.clear()
        part.update(headers=[], data=[], field=b"", value=b"", name="body", file=False)

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part["field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part["value"] += data[start:end]

    def on_header_end() -> None:
        part["headers"].append((part["field"].lower(), part["value"]))
        part["field"], part["value"] = b"", b""

    def on_headers_finished() -> None:
        _, params = parse_options_header(dict(part["headers"]).get(b"content-disposition", b""))
        part["file"] = b"filename" in params  # files are the route's to read, and are not kept here
        part["name"] = params.get(b"name", b"").decode("utf-8", "replace") or "body"

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if not part["file"]:
            part["data"].append(data[start:end])

    def on_part_end() -> None:
        if part["file"] or found:
            return
        try:
            value = b"".join(part["data"]).decode("utf-8")
        except UnicodeDecodeError:
            found.append(Refusal(part["name"], "is not valid UTF-8"))
            return
        if (problem := text_problem(value)) is not None:
            found.append(Refusal(part["name"], problem))

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except Exception:  # malformed multipart is the form parser's to answer (400)
        return None
    return found[0] if found else None
