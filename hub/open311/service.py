"""Open311 GeoReport v2 for the partnership: one jurisdiction per partner council.

A jurisdiction lists the services its council is responsible for (by tier) and the public
street reports it handles. Only public-realm reports (the street_report workflow: potholes,
street lights, fly-tipping) are published, and never the reporter's details: bins, council
tax or social care cases are private to the council and the resident.
"""
from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from flask import current_app

from hub import references
from hub.cases.models import Case
from hub.cases.service import receive_contact
from hub.citizens.details import e164, email_address
from hub.geo import postcodes
from hub.open311 import queries
from hub.open311.privacy import public_area, public_street
from hub.partnership.routing import route
from hub.partnership.schema import AuthorityDef, PartnershipDoc, ServiceDef
from hub.partnership.service import current

PUBLIC_WORKFLOWS = ("street_report",)
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        self.status, self.description = status, description
        super().__init__(description)


def _tiers_for(auth: AuthorityDef) -> tuple[str, ...]:
    return {"county": ("county",), "district": ("district",), "unitary": ("county", "district"),
            "partnership": ("partnership",)}[auth.tier]


def jurisdiction(code: str | None) -> AuthorityDef:
    doc = current()
    if not code:
        raise Open311Error(400, "jurisdiction_id is required: one of " + ", ".join(partner_codes(doc)))
    auth = doc.authority(code.upper())
    if auth is None or not auth.partner:
        raise Open311Error(404, f"unknown jurisdiction_id {code!r}")
    return auth


def partner_codes(doc: PartnershipDoc) -> list[str]:
    return [a.code for a in doc.authorities if a.partner]


def services_for(auth: AuthorityDef) -> list[ServiceDef]:
    tiers = _tiers_for(auth)
    return [s for s in current().services if s.tier in tiers and s.code != "social_care.safeguarding"]


def discovery(base_url: str) -> dict[str, Any]:
    doc = current()
    return {
        "changeset": doc_changeset(), "contact": doc.partnership.email_address or "",
        "key_service": "API keys are issued by the partnership's contact centre.",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base_url,
                       "changeset": doc_changeset(), "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }


def doc_changeset() -> str:
    return "2026-11-29T00:00:00Z"


def service_list(auth: AuthorityDef) -> list[dict[str, Any]]:
    return [{"service_code": s.code, "service_name": s.name, "description": s.name, "metadata": False,
             "type": "realtime" if s.workflow else "batch", "keywords": ", ".join(s.examples[:3]),
             "group": s.code.split(".")[0].replace("_", " ")} for s in services_for(auth)]


def service_definition(auth: AuthorityDef, code: str) -> dict[str, Any]:
    if code not in {s.code for s in services_for(auth)}:
        raise Open311Error(404, f"unknown service_code {code!r} in jurisdiction {auth.code}")
    return {"service_code": code, "attributes": []}


def _public_codes(auth: AuthorityDef) -> list[str]:
    return [s.code for s in services_for(auth) if s.workflow in PUBLIC_WORKFLOWS]


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def as_request(case: Case) -> dict[str, Any]:
    svc = current().service(case.service_code or "")
    auth = current().authority(case.authority_code or "")
    return {
        # A logged report is a finished *contact* (self-served) but an unfixed *problem*:
        # Open311 readers care about the problem, so only a closed case is "closed".
        "service_request_id": case.reference, "status": "closed" if case.status == "closed" else "open",
        "status_notes": None, "service_name": svc.name if svc else None, "service_code": case.service_code,
        "description": None, "agency_responsible": auth.name if auth else None, "service_notice": None,
        "requested_datetime": _iso(case.created_at), "updated_datetime": _iso(case.updated_at),
        "expected_datetime": None,
        # Where, never who: the street without house numbers and the postcode sector (privacy.py).
        "address": public_street(case.location_text), "zipcode": public_area(case.postcode),
    }


def _parse_time(name: str, value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        # In UTC here, inside the try: 9999-12-31T23:59:59-05:00 has no UTC equivalent.
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)).astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        raise Open311Error(400, f"{name} must be an ISO 8601 date and time between years 1 and 9999") from None


def request_list(auth: AuthorityDef, args: dict[str, str]) -> list[dict[str, Any]]:
    codes = _public_codes(auth)
    if args.get("service_request_id"):
        refs = [r for r in (references.normalise(x) for x in args["service_request_id"].split(",")) if r]
        return [as_request(c) for c in queries.by_references(auth.code, refs, codes)]
    if args.get("service_code"):
        wanted = set(args["service_code"].split(","))
        unknown = wanted - {s.code for s in services_for(auth)}
        if unknown:
            raise Open311Error(400, f"unknown service_code {', '.join(sorted(unknown))}")
        codes = [c for c in codes if c in wanted]
    status = args.get("status")
    if status not in (None, "", "open", "closed"):
        raise Open311Error(400, "status must be open or closed")
    start, end = _parse_time("start_date", args.get("start_date")), _parse_time("end_date", args.get("end_date"))
    if start and end and start > end:
        raise Open311Error(400, "start_date is after end_date")
    if start is None and end is None:
        start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=DEFAULT_DAYS)
    cases = queries.public_requests(authority=auth.code, service_codes=codes, start=start, end=end,
                                    status=status or None, limit=MAX_REQUESTS)
    return [as_request(c) for c in cases]


def one_request(auth: AuthorityDef, request_id: str) -> dict[str, Any]:
    ref = references.normalise(request_id)
    found = queries.by_references(auth.code, [ref], _public_codes(auth)) if ref else []
    if not found:
        raise Open311Error(404, f"no service request {request_id!r} in jurisdiction {auth.code}")
    return as_request(found[0])


def check_api_key(key: str | None) -> None:
    keys = current_app.config["HUB_SETTINGS"].open311_api_keys
    if not key or not any(hmac.compare_digest(key, k) for k in keys):
        raise Open311Error(403, "a valid api_key is required to create service requests")


# Longest values taken from another system, matching the columns they are stored in.
MAX_DESCRIPTION = 4000
MAX_ADDRESS = 300  # case.location_text
MAX_NAME_PART = 100  # first_name, last_name: together citizen.name (200)


def _checked_contact(form: dict[str, str]) -> dict[str, str | None]:
    """The reporter's name, email and phone from the form, or a 400 saying which is wrong."""
    for field in ("first_name", "last_name"):
        if len(form.get(field) or "") > MAX_NAME_PART:
            raise Open311Error(400, f"{field} is longer than {MAX_NAME_PART} characters")
    name = " ".join(x.strip() for x in [form.get("first_name"), form.get("last_name")] if x and x.strip())
    email = phone = None
    if (form.get("email") or "").strip():
        email = email_address(form["email"].strip())
        if email is None:
            raise Open311Error(400, "email is not a valid email address")
    if (form.get("phone") or "").strip():
        phone = e164(form["phone"].strip())
        if phone is None:
            raise Open311Error(400, "phone is not a valid phone number (UK, or international with +)")
    return {"name": name or None, "email": email, "phone": phone}


def create_request(auth: AuthorityDef, form: dict[str, str]) -> dict[str, Any]:
    """A service request from another system becomes a case on the API channel, triaged as usual."""
    check_api_key(form.get("api_key"))
    bad = sorted(k for k, v in form.items() if "\x00" in k or "\x00" in v)
    if bad:
        raise Open311Error(400, f"{', '.join(repr(k) for k in bad)} must not contain NUL characters")
    if len(form.get("address_string") or "") > MAX_ADDRESS:
        raise Open311Error(400, f"address_string is longer than {MAX_ADDRESS} characters")
    contact = _checked_contact(form)
    doc = current()
    svc = doc.service(form.get("service_code") or "")
    if svc is None or svc.code not in {s.code for s in services_for(auth)}:
        raise Open311Error(400, "service_code must be one of this jurisdiction's services")
    postcode = postcodes.normalise(form.get("zipcode")) or postcodes.find(form.get("address_string") or "")
    if postcode is None:
        raise Open311Error(400, "a UK postcode is required, in zipcode or address_string")
    routed = route(doc, svc, postcode)
    if routed.authority_code != auth.code:
        owner = routed.authority.name if routed.authority else "no council in this partnership"
        raise Open311Error(400, f"{postcode} is not in jurisdiction {auth.code}: it belongs to {owner}")
    description = (form.get("description") or "").strip()
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description is longer than {MAX_DESCRIPTION} characters")
    got = receive_contact(channel="api", body=description, postcode=postcode, chosen_service=svc.code,
                          location_text=(form.get("address_string") or "").strip() or None, **contact)
    return {"service_request_id": got.case.reference, "service_notice": f"{auth.name} will handle this request.",
            "account_id": None}
