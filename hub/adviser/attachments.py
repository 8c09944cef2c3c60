"""Files that came with citizens' messages, as the adviser workspace sees them.

The files are kept by the channels that received them (the email channel today), and the hub
core never imports a channel (decision 0001). So a channel that keeps files registers a
*source* here at start-up, as channels register their senders; the workspace asks the
sources for a case's files and never queries their tables itself. Council scope is not a
source's business: the adviser service finds the case inside the adviser's councils first
and only then asks for that case's files (decision 0026).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app

EXTENSION_KEY = "hub.attachment_sources"


@dataclass(frozen=True)
class AttachmentInfo:
    """What an adviser may know about a file without opening it (never its bytes)."""

    source: str  # the channel that keeps it, e.g. "email"; ids are only unique within a source
    id: int
    message_id: int | None  # the case message it came with, when known
    filename: str
    content_type: str
    size: int
    refused_reason: str | None = None  # refused files are named, never kept, never served

    @property
    def downloadable(self) -> bool:
        return self.refused_reason is None

    @property
    def size_text(self) -> str:
        return human_size(self.size)


@dataclass(frozen=True)
class StoredFile:
    info: AttachmentInfo
    data: bytes


class AttachmentSource(Protocol):
    def for_case(self, case_id: int) -> list[AttachmentInfo]:
        """Every file of the case, refused ones included, without loading any bytes."""

    def get(self, case_id: int, attachment_id: int) -> StoredFile | None:
        """The kept file with this id *of this case*; None when it is another case's, refused or unknown."""


def register_source(app: Any, name: str, source: AttachmentSource) -> None:
    """Called by a channel's `init_app`. The name is a URL segment and is recorded with each download."""
    if not re.fullmatch(r"[a-z]{1,9}", name):
        raise ValueError(f"attachment source names are 1-9 lowercase letters, not {name!r}")
    app.extensions.setdefault(EXTENSION_KEY, {})[name] = source


def _sources() -> dict[str, AttachmentSource]:
    return current_app.extensions.get(EXTENSION_KEY, {})


def for_case(case_id: int) -> list[AttachmentInfo]:
    """The case's files from every registered source (an app without channels has none)."""
    return [info for source in _sources().values() for info in source.for_case(case_id)]


def by_message(infos: list[AttachmentInfo]) -> dict[int | None, list[AttachmentInfo]]:
    """Files grouped under the message they came with (None: the message is not known)."""
    grouped: dict[int | None, list[AttachmentInfo]] = {}
    for info in infos:
        grouped.setdefault(info.message_id, []).append(info)
    return grouped


def find(case_id: int, source: str, attachment_id: int) -> StoredFile | None:
    """A kept file of this case, or None (unknown source, unknown id, another case's, refused)."""
    found = _sources().get(source)
    if found is None:
        return None
    stored = found.get(case_id, attachment_id)
    if stored is None or stored.info.source != source or not stored.info.downloadable:
        return None
    return stored


def human_size(size: int) -> str:
    """Sizes as people read them: 512 bytes, 14 KB, 2.3 MB (1 KB = 1,024 bytes)."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB"):
        value /= 1024
        if value < 1024:
            break
    else:
        value, unit = value / 1024, "GB"
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
