"""The input checks on their own: exact depth limit, strings and escapes, multipart, the refusals' names."""

from __future__ import annotations

import asyncio
import json

import pytest

from api.body_guard import Refusal, check_json, check_multipart, check_path, check_urlencoded
from api.middleware import RequestContextMiddleware


def _nested(depth: int) -> bytes:
    return b'{"a": ' * (depth - 1) + b"[1]" + b"}" * (depth - 1)


def test_the_depth_limit_is_exact_and_counts_objects_and_arrays() -> None:
    assert json.loads(_nested(48)) and check_json(_nested(48), 48) is None
    assert check_json(_nested(49), 48) == Refusal("body", "nests deeper than 48 levels")
    wide = b"[" + b",".join([b'{"a": [1, {"b": []}]}'] * 5000) + b"]"
    assert check_json(wide, 5) is None and check_json(wide, 4) is not None  # [ { [ { [] }]}]


def test_brackets_and_quotes_inside_strings_do_not_count() -> None:
    body = b'{"a": "[[[[[[[[[[ {{{{{{{{", "b": "say \\"[[[[[[\\" \\\\", "c": ["]]]]"]}'
    assert check_json(body, 2) is None
    assert check_json(b'{"a": "\\\\u0000 is text"}', 48) is None  # an escaped backslash, then text


def test_malformed_json_is_left_to_the_parser() -> None:
    for body in (b"{not json", b'{"a": NaN', b'{"a": "\\u0000"', b"[1, 2"):
        assert check_json(body, 48) is None, body
    # Bytes that are not UTF-8 are refused as malformed (400), whatever the route then does with them.
    for body in (b"\xff\xfe{}", b'{"a": "caf\xe9"}', b"\xc3"):
        assert check_json(body, 48) == Refusal("body", "is not UTF-8", malformed=True), body


def test_urlencoded_names_the_field() -> None:
    assert check_urlencoded(b"a=1&b=x%00y", "query") == Refusal("b", "must not contain NUL characters")
    assert check_urlencoded(b"a=1&%00=2", "query") is not None
    assert check_urlencoded(b"q=caf%C3%A9+au+lait&flag&=&x=%2B", "query") is None
    assert check_path(b"/api/v1/entity-types/caf%C3%A9") is None
    assert check_path(b"/api/v1/entity-types/%C3") == Refusal("path", "is not valid UTF-8")


def _multipart(text: bytes, file: bytes) -> bytes:
    return (
        b'--XX\r\nContent-Disposition: form-data; name="title"\r\n\r\n' + text + b"\r\n"
        b'--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
        + file
        + b"\r\n--XX--\r\n"
    )


def test_multipart_checks_text_fields_only() -> None:
    kind = "multipart/form-data; boundary=XX"
    assert check_multipart(_multipart(b"a\x00b", b"x"), kind) == Refusal(
        "title", "must not contain NUL characters"
    )
    assert check_multipart(_multipart(b"a\xffb", b"x"), kind) == Refusal("title", "is not valid UTF-8")
    assert check_multipart(_multipart(b"fine", b"\x00\xff binary is the route's business"), kind) is None


@pytest.mark.parametrize(
    ("content_type", "body", "refused"),
    [
        (None, b"name\n" + b"[" * 60, False),  # no content type and not JSON-looking: a raw upload
        (None, b"[" * 60 + b"]" * 60, True),
        ("application/json", b"[" * 60 + b"]" * 60, True),
        ("application/merge-patch+json", b'{"a": NaN}', True),
        ("text/csv", b"[" * 60, False),
        ("application/x-www-form-urlencoded", b"username=%00", True),
    ],
)
def test_which_bodies_are_checked(content_type: str | None, body: bytes, refused: bool) -> None:
    middleware = RequestContextMiddleware(app=None, max_body_bytes=1 << 20)  # type: ignore[arg-type]
    assert (asyncio.run(middleware._body_refusal(content_type, body)) is not None) is refused
