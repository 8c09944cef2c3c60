"""Reads and writes of the partnership tables (the only module that touches them)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from hub.db import session
from hub.partnership.models import Authority, ContactCost, Partnership, PostcodeSector, Service


def get_partnership() -> Partnership | None:
    return session.scalars(select(Partnership)).first()


def upsert(model: type[Any], **values: Any) -> None:
    """Insert or update one row by primary key (merge keeps this portable to SQLite)."""
    session.merge(model(**values))


def deactivate_missing(model: type[Authority] | type[Service], keep: set[str]) -> None:
    """Rows no longer in the file are retired, not deleted: old cases still point at them."""
    session.execute(update(model).where(model.code.not_in(keep)).values(active=False))


def replace_sectors(mapping: dict[str, str]) -> None:
    session.execute(delete(PostcodeSector).where(PostcodeSector.sector.not_in(list(mapping))))
    for sector, code in mapping.items():
        upsert(PostcodeSector, sector=sector, authority_code=code)


def remove_other_partnerships(code: str) -> None:
    session.execute(delete(Partnership).where(Partnership.code != code))


def loaded_document(engine: Engine, known_sha: str | None) -> tuple[str, dict[str, Any]] | None:
    """The loaded partnership document when its hash differs from `known_sha`, else None.

    Uses its own short connection, never the request's session: a failed check must not
    abort the unit of work it happens to run in.
    """
    with engine.connect() as conn:
        sha = conn.execute(select(Partnership.document_sha256).limit(1)).scalar()
        if sha is None or sha == known_sha:
            return None
        document = conn.execute(select(Partnership.document).limit(1)).scalar()
    return sha, document


def contact_costs() -> dict[str, ContactCost]:
    return {c.channel: c for c in session.scalars(select(ContactCost))}


def flush() -> None:
    session.flush()
