"""Handing a citizen's file to an adviser's browser without letting the file act in the hub.

A file from the public is untrusted content served from the hub's own origin. Rendered
inline, an HTML or SVG file would run its scripts with the adviser's session. So every file
is a download (`Content-Disposition: attachment`), the browser may not guess another type
(`nosniff`), active or unknown types are sent as `application/octet-stream`, the response
may not run anything even if opened (`CSP: sandbox`), and nothing keeps a copy
(`Cache-Control: private, no-store`).
"""
from __future__ import annotations

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from flask import Response

# Types a browser shows as inert content (documents, photos, plain text). Anything else,
# whatever the citizen's mail program called it, is sent as opaque bytes. Deliberately not the
# email intake's list of accepted types: accepting a new type must not make it render here.
INERT_TYPES = frozenset({
    "application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif",
    "text/plain", "text/csv", "application/rtf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
})
OPAQUE = "application/octet-stream"
MAX_FILENAME = 150
# Path separators, header syntax, control characters, and the bidirectional overrides that
# make "invoice\u202efdp.exe" display as "invoiceexe.pdf".
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:;"\'\u200e\u200f\u202a-\u202e\u2066-\u2069]+')
_NOT_PLAIN_ASCII = re.compile(r"[^A-Za-z0-9 ._()+\-]+")


def served_type(content_type: str, filename: str) -> str:
    """The declared type when it is inert *and* the name does not say otherwise; else opaque.

    The name matters too: a `text/plain` file called `page.html` is saved as `page.html`
    and would open as a web page, so it goes out as bytes.
    """
    declared = content_type.split(";", 1)[0].strip().lower()
    # Judged on the name the browser is given ("page.html." is saved as "page.html").
    guessed = (mimetypes.guess_type(safe_download_name(filename), strict=False)[0] or "").lower()
    if declared not in INERT_TYPES or (guessed and guessed not in INERT_TYPES):
        return OPAQUE
    return declared


def safe_download_name(filename: str) -> str:
    """The stored name without paths, control characters or header syntax; never empty."""
    name = _UNSAFE_IN_NAME.sub("_", unicodedata.normalize("NFC", filename)).strip(" ._")
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:MAX_FILENAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_FILENAME]
    return name or "attachment"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` for old clients and `filename*` (RFC 6266/8187)
    carrying the real UTF-8 name when it is not plain ASCII."""
    name = safe_download_name(filename)
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r" {2,}", " ", _NOT_PLAIN_ASCII.sub("_", ascii_only)).strip(" _")
    stem, dot, ext = fallback.rpartition(".") if "." in fallback else (fallback, "", "")
    if not stem.strip(" _."):  # nothing readable left ("文件.pdf"): keep the extension at least
        fallback = "attachment" + (dot + ext if dot and ext else "")
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(filename: str, content_type: str, data: bytes) -> Response:
    # content_type, not mimetype: Flask would add a charset to text/* that the file may not have.
    response = Response(data, status=200, content_type=served_type(content_type, filename))
    headers = response.headers
    headers["Content-Disposition"] = content_disposition(filename)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Cache-Control"] = "private, no-store"
    headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
