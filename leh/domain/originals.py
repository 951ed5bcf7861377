"""How an original file may be served to a browser: never as something that runs in LEH's origin.

An original is untrusted bytes. It is labelled with the content type LEH itself detected from its content (the
worker records it as `mime`), never one taken from its name, and only when that type is one LEH renders itself
(raster images in `<img>`, audio, video) or a plain download type (PDF); anything else is
application/octet-stream. It is served as an attachment unless the page asked for an inline preview of a type it
renders itself, and a top-level navigation to a preview URL still downloads. Every response carries `nosniff` and
a sandboxing CSP (see OBJECT_HEADERS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, Literal
from urllib.parse import quote

OCTET_STREAM: Final = "application/octet-stream"
# Raster images a browser decodes in <img> without running anything (no SVG, no XML-based formats).
INLINE_IMAGES: Final = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
_MEDIA: Final = re.compile(r"^(audio|video)/[a-z0-9][a-z0-9.+-]{0,60}$")
# Served with its own type but always as an attachment: Chromium's PDF viewer does not run inside a sandboxed
# (CSP `sandbox`) response, and a PDF can carry scripts and forms; the text LEH extracted is on the page.
DOWNLOAD_TYPES: Final = frozenset({"application/pdf"})

# On every /api/objects response, errors included: a sandboxed, opaque origin with nothing allowed to load.
OBJECT_CSP: Final = ("sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'none'; "
                     "script-src 'none'; object-src 'none'; frame-ancestors 'none'; form-action 'none'; "
                     "base-uri 'none'")
OBJECT_HEADERS: Final[Mapping[str, str]] = {
    "Content-Security-Policy": OBJECT_CSP,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}
# Sec-Fetch-Dest values for which an inline response would become a document (navigation, frame, plugin).
_DOCUMENT_DESTS: Final = frozenset({"document", "iframe", "frame", "embed", "object", "nested-document",
                                    "worker", "sharedworker", "serviceworker", "script", "style", "xslt"})

PreviewKind = Literal["image", "audio", "video"]


def preview_kind(doc: Mapping[str, Any] | None) -> PreviewKind | None:
    """Which element the evidence page may show the original in, from the detected type; None: download only."""
    mime = str((doc or {}).get("mime") or "").lower()
    if mime in INLINE_IMAGES:
        return "image"
    if _MEDIA.match(mime) and "xml" not in mime:
        return "audio" if mime.startswith("audio/") else "video"
    return None


def served_type(doc: Mapping[str, Any] | None) -> str:
    """The Content-Type of an original: the detected type when LEH renders it or it is a plain download type."""
    mime = str((doc or {}).get("mime") or "").lower()
    if preview_kind(doc) is not None or mime in DOWNLOAD_TYPES:
        return mime
    return OCTET_STREAM


def disposition(doc: Mapping[str, Any] | None, filename: str, *, inline_asked: bool, fetch_dest: str | None) -> str:
    """`attachment` unless an inline preview was asked for a type LEH renders and the browser is not navigating."""
    inline = inline_asked and preview_kind(doc) is not None and (fetch_dest or "").lower() not in _DOCUMENT_DESTS
    ascii_name = re.sub(r'[^A-Za-z0-9._-]', "_", filename)[:100] or "download"
    return f"{'inline' if inline else 'attachment'}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
