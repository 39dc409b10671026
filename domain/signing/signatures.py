"""A signer's signature as given: a typed name, or a drawn PNG (bounded in bytes and pixels)."""

from __future__ import annotations

import base64
import binascii
import io
import unicodedata

from PIL import Image, UnidentifiedImageError

from domain.errors import ValidationFailed
from domain.signing.schemas import SignatureIn

DATA_URL_PREFIX = "data:image/png;base64,"
MAX_TYPED_CHARS = 100
MAX_PNG_BYTES = 200 * 1024
MAX_PNG_WIDTH = 2000
MAX_PNG_HEIGHT = 1000
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def typed_name(value: str) -> str:
    name = unicodedata.normalize("NFC", value).strip()
    if not 1 <= len(name) <= MAX_TYPED_CHARS:
        raise ValidationFailed.one(
            "signature.value", f"a typed signature is 1 to {MAX_TYPED_CHARS} characters"
        )
    if not printable(name, lines=False):
        raise ValidationFailed.one("signature.value", "must be printable text")
    return name


def printable(text: str, *, lines: bool) -> bool:
    """No control, format, private-use or unassigned characters (a newline only when ``lines``)."""
    return not any(
        unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in text if not (lines and c == "\n")
    )


def drawn_png(value: str) -> bytes:
    """The PNG bytes of a drawn signature, after checking it is one and not too large."""
    if not value.startswith(DATA_URL_PREFIX):
        raise ValidationFailed.one("signature.value", f"a drawn signature is a {DATA_URL_PREFIX}… URL")
    encoded = value[len(DATA_URL_PREFIX) :]
    if len(encoded) > (MAX_PNG_BYTES * 4) // 3 + 4:
        raise ValidationFailed.one("signature.value", f"the image must be at most {MAX_PNG_BYTES // 1024} kB")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed.one("signature.value", "is not valid base64") from exc
    if not data.startswith(PNG_MAGIC):
        raise ValidationFailed.one("signature.value", "is not a PNG image")
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only: no decompression yet
            width, height = image.size
            if image.format != "PNG" or width > MAX_PNG_WIDTH or height > MAX_PNG_HEIGHT:
                raise ValidationFailed.one(
                    "signature.value",
                    f"the image must be a PNG of at most {MAX_PNG_WIDTH}x{MAX_PNG_HEIGHT} pixels",
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed.one("signature.value", "is not a readable PNG image") from exc
    return data


def checked(signature: SignatureIn) -> tuple[str, bytes | None]:
    """The value to store (the name, or the data URL) and the PNG bytes of a drawn one."""
    if signature.type == "typed":
        return typed_name(signature.value), None
    return signature.value, drawn_png(signature.value)


def initials(name: str) -> str:
    return "".join(part[0] for part in name.split() if part)[:4].upper() or name[:2]
