"""The only way a document template reaches anything outside its own text: WeasyPrint's URL fetcher.

A template may load exactly two kinds of URL:

- ``data:`` URLs (images, fonts, stylesheets written inline), decoded here;
- ``asset:<name>``: one of the tenant's own stored assets (images and fonts), looked up through the
  ``AssetLookup`` callback the caller passes, e.g. ``<img src="asset:logo.png">`` or
  ``@font-face { src: url(asset:brand.woff2) }``. A name is 1-200 letters, digits, ``.``, ``_``
  or ``-``.

Everything else (``http:``, ``https:``, ``ftp:``, ``file:``, a relative path, whatever a ``<base>``
element makes of one) is refused here, before any socket or file is opened: the fetcher never
delegates to urllib. A refused or missing URL fails the whole render (``fail_on_errors``, and
``refused`` for the places where WeasyPrint swallows the failure) rather than leaving a blank
where the logo should be.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any, NoReturn
from urllib.parse import unquote_to_bytes

from PIL import Image, UnidentifiedImageError
from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_SCHEME = "asset"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
ASSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
MAX_RESOURCE_BYTES = 10 * 1024 * 1024  # one image, font or stylesheet
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # everything one render loads
MAX_IMAGE_PIXELS = 40_000_000  # a raster image is decoded whole: 160 MB in RGBA
RASTER_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
FONT_TYPES = frozenset(
    {"font/woff", "font/woff2", "font/ttf", "font/otf", "application/font-woff", "application/x-font-ttf"}
)
ASSET_TYPES = RASTER_TYPES | FONT_TYPES | {"image/svg+xml"}
DATA_TYPES = ASSET_TYPES | {"text/css"}  # an inline stylesheet loads through this fetcher too


@dataclass(frozen=True)
class Asset:
    """A stored asset as the caller's lookup returns it."""

    content: bytes
    media_type: str


AssetLookup = Callable[[str], Asset | None]  # asset name -> the tenant's asset, or None


class UrlRefused(Exception):
    """A URL the template may not load, and why (the URL shortened, a ``file:`` path never shown)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{shown(url)}: {reason}")
        self.url, self.reason = url, reason


def shown(url: str) -> str:
    if url[:5].lower() == "file:":
        return "a file: URL"
    return url if len(url) <= 80 else f"{url[:77]}..."


class SafeFetcher(URLFetcher):
    """Serves ``data:`` and ``asset:`` URLs only; remembers every refusal."""

    def __init__(self, assets: AssetLookup | None = None) -> None:
        # urllib's handlers are built by the base class but never used: fetch() and open() are ours.
        super().__init__(allowed_protocols=("data", ASSET_SCHEME), allow_redirects=False, fail_on_errors=True)
        self._assets = assets
        self._loaded: dict[str, Asset] = {}
        self.total_bytes = 0
        self.refused: list[UrlRefused] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            body, media_type = self._resolve(url)
            _check_image(url, body, media_type)
            self.total_bytes += len(body)
            if self.total_bytes > MAX_TOTAL_BYTES:
                raise UrlRefused(url, f"the document loads more than {MAX_TOTAL_BYTES >> 20} MB")
        except UrlRefused as exc:
            self.refused.append(exc)
            raise
        return URLFetcherResponse(url, body, {"Content-Type": media_type})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> NoReturn:
        """urllib's entry point: never used to reach anything."""
        raise UrlRefused(str(getattr(url, "full_url", url)), "not loaded")

    def _resolve(self, url: str) -> tuple[bytes, str]:
        scheme, colon, rest = url.partition(":")
        scheme = scheme.lower() if colon and _SCHEME.fullmatch(scheme) else ""
        if scheme == "data":
            return _decode_data_url(url, rest)
        if scheme == ASSET_SCHEME:
            asset = self._asset(url, rest.split("#", 1)[0])
            return asset.content, asset.media_type
        if not scheme:
            raise UrlRefused(url, "a relative URL is not loaded; write asset:<name> for a stored asset")
        raise UrlRefused(url, "only data: URLs and asset:<name> references are loaded")

    def _asset(self, url: str, name: str) -> Asset:
        if not ASSET_NAME.fullmatch(name):
            raise UrlRefused(url, "an asset name is 1-200 letters, digits, '.', '_' or '-'")
        if name not in self._loaded:
            asset = self._assets(name) if self._assets is not None else None
            if asset is None:
                raise UrlRefused(url, "no such asset")
            media_type = asset.media_type.split(";", 1)[0].strip().lower()
            if media_type not in ASSET_TYPES:
                raise UrlRefused(url, f"assets are images or fonts, not {media_type[:40]}")
            if len(asset.content) > MAX_RESOURCE_BYTES:
                raise UrlRefused(url, f"the asset is larger than {MAX_RESOURCE_BYTES >> 20} MB")
            self._loaded[name] = Asset(asset.content, media_type)
        return self._loaded[name]


def _decode_data_url(url: str, rest: str) -> tuple[bytes, str]:
    """``data:[<media type>][;base64],<data>`` (RFC 2397)."""
    header, comma, payload = rest.partition(",")
    if not comma:
        raise UrlRefused(url, "a data: URL needs a comma before its data")
    params = [p.strip().lower() for p in header.split(";")]
    is_base64 = params[-1] == "base64"
    media_type = params[0] or "text/plain"
    if media_type not in DATA_TYPES:
        raise UrlRefused(url, f"data: URLs hold images, fonts or CSS, not {media_type[:40]}")
    if len(payload) > MAX_RESOURCE_BYTES * 4 // 3 + 4:
        raise UrlRefused(url, f"the data is larger than {MAX_RESOURCE_BYTES >> 20} MB")
    raw = unquote_to_bytes(payload)
    if is_base64:
        try:
            raw = base64.b64decode(b"".join(raw.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise UrlRefused(url, "the base64 data is malformed") from exc
    return raw, media_type


def _check_image(url: str, body: bytes, media_type: str) -> None:
    """A raster image's size is read from its header: a small file can decode to gigabytes."""
    if media_type not in RASTER_TYPES:
        return
    try:
        with Image.open(BytesIO(body)) as image:
            width, height = image.size
    except Image.DecompressionBombError as exc:  # Pillow's own ceiling, far above ours
        raise UrlRefused(url, f"the image has more than {MAX_IMAGE_PIXELS:,} pixels") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UrlRefused(url, f"not a readable {media_type.removeprefix('image/')} image") from exc
    if width * height > MAX_IMAGE_PIXELS:
        raise UrlRefused(url, f"the image has {width}x{height} pixels, more than {MAX_IMAGE_PIXELS:,}")
