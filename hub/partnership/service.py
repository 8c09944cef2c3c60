"""Loading a partnership file into the database, and the partnership the app runs with."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from flask import current_app

from hub.partnership import queries
from hub.partnership.models import Authority, ContactCost, Partnership, Service
from hub.partnership.schema import PartnershipDoc, read

log = logging.getLogger(__name__)


def current() -> PartnershipDoc:
    """The validated partnership this app was started with (HUB_PARTNERSHIP)."""
    return current_app.extensions["hub.partnership"]


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
                   document_sha256=hashlib.sha256(raw).hexdigest())
    queries.flush()
    log.info("partnership loaded", extra={"partnership": info.code, "authorities": len(doc.authorities),
                                          "services": len(doc.services)})
    return doc
