"""Loading a partnership file into the database, and the partnership the app runs with.

The live partnership is the one last loaded into the database with `hub partnership load`
(validated as a whole, then upserted in one transaction). Every web and worker process
checks the loaded document's hash every few seconds and switches when it changes, so a
fourth council routes everywhere without a restart. Before anything has been loaded (a
brand-new database, unit tests) the file named by HUB_PARTNERSHIP is used.
"""
from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from flask import current_app, has_app_context

from hub.partnership import queries
from hub.partnership.models import Authority, ContactCost, Partnership, Service
from hub.partnership.schema import PartnershipDoc, read

log = logging.getLogger(__name__)


CHECK_EVERY = 5.0  # seconds between checks of the loaded document's hash


def install(app: object, doc: PartnershipDoc, sha: str | None) -> None:
    """Make `doc` the app's live partnership; things built from it are rebuilt lazily."""
    ext = app.extensions  # type: ignore[attr-defined]
    ext["hub.partnership"], ext["hub.partnership_sha"] = doc, sha
    ext.pop("hub.pipeline", None)  # the classifier is trained on the services


def current() -> PartnershipDoc:
    """The live partnership: the one last loaded into the database, else HUB_PARTNERSHIP's file."""
    ext = current_app.extensions
    now = time.monotonic()
    if has_app_context() and now - ext.get("hub.partnership_checked", 0.0) > CHECK_EVERY:
        ext["hub.partnership_checked"] = now
        _refresh(current_app)
    return ext["hub.partnership"]


def _refresh(app: object) -> None:
    from hub.partnership.schema import PartnershipError, parse

    try:
        loaded = queries.loaded_document(app.extensions["hub.engine"], app.extensions.get("hub.partnership_sha"))  # type: ignore[attr-defined]
    except Exception as exc:  # no tables yet, or the database is down: keep what we have
        log.debug("partnership check skipped: %s", exc)
        return
    if loaded is None:
        return
    sha, document = loaded
    try:
        install(app, parse(document), sha)
    except PartnershipError as exc:  # cannot happen for a document the loader validated
        log.error("the loaded partnership no longer validates: %s", exc)
        return
    log.info("partnership reloaded", extra={"sha256": sha[:12]})


def load(path: str | Path) -> PartnershipDoc:
    """Validate the file and upsert it; raises PartnershipError (nothing changed) if refused.

    Authorities are written in two passes because districts refer to their county.
    The caller commits.
    """
    doc, raw = read(path)
    for auth in doc.authorities:
        queries.upsert(Authority, code=auth.code, name=auth.name, tier=auth.tier, partner=auth.partner,
                       county_code=None, phone=auth.phone, web=auth.web, active=True)
    queries.flush()
    for auth in doc.authorities:
        if auth.county:
            queries.upsert(Authority, code=auth.code, name=auth.name, tier=auth.tier, partner=auth.partner,
                           county_code=auth.county, phone=auth.phone, web=auth.web, active=True)
    queries.deactivate_missing(Authority, {a.code for a in doc.authorities})
    for svc in doc.services:
        queries.upsert(Service, code=svc.code, name=svc.name, tier=svc.tier, workflow=svc.workflow,
                       needs=list(svc.needs), sla_hours=svc.sla.hours, priority=svc.priority,
                       urgent_terms=list(svc.urgent_terms), active=True)
    queries.deactivate_missing(Service, {s.code for s in doc.services})
    queries.replace_sectors(dict(doc.postcode_sectors))
    for channel, cost in doc.contact_costs.items():
        queries.upsert(ContactCost, channel=channel, self_service=cost.self_service, assisted=cost.assisted)
    queries.remove_other_partnerships(doc.partnership.code)
    info = doc.partnership
    queries.upsert(Partnership, code=info.code, name=info.name, timezone=info.timezone,
                   sms_number=info.sms_number, email_address=info.email_address,
                   triage_authority_code=info.triage_authority, document=doc.model_dump(mode="json"),
                   document_sha256=(sha := hashlib.sha256(raw).hexdigest()))
    queries.flush()
    install(current_app, doc, sha)
    log.info("partnership loaded", extra={"partnership": info.code, "authorities": len(doc.authorities),
                                          "services": len(doc.services)})
    return doc
