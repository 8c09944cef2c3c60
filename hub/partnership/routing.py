"""Who is responsible for a service at a place, and whether the hub can pass it to them.

District services go to the district (or unitary) covering the postcode's sector; county
services to that district's county (or the unitary itself); partnership services to the
hub. A partner council gets the case in its advisers' queue; a non-partner council is
signposted: the citizen is told its name, phone and web address. Every decision carries a
plain-language explanation, stored on the case for advisers and auditors.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from hub.geo import postcodes
from hub.partnership.schema import AuthorityDef, PartnershipDoc, ServiceDef


@dataclass(frozen=True)
class Route:
    authority: AuthorityDef | None
    partner: bool
    explanation: list[str] = field(default_factory=list)
    # Why no authority could be found: "no_postcode", "invalid_postcode", "unknown_sector".
    missing: str | None = None

    @property
    def authority_code(self) -> str | None:
        return self.authority.code if self.authority else None

    @property
    def signpost(self) -> dict[str, str | None] | None:
        """What to tell a citizen whose council is not a partner."""
        if self.authority is None or self.partner:
            return None
        return {"code": self.authority.code, "name": self.authority.name,
                "phone": self.authority.phone, "web": self.authority.web}

    def explain(self) -> str:
        return " ".join(self.explanation)


def route(doc: PartnershipDoc, service: ServiceDef, postcode: str | None) -> Route:
    """Decide the responsible authority for ``service`` at ``postcode`` (None if not given)."""
    steps = [f"'{service.name}' is a {service.tier} service."]
    if service.tier == "partnership":
        hub = doc.triage_authority
        steps.append(f"Partnership services are handled by {hub.name}.")
        return Route(hub, hub.partner, steps)

    if postcode is None:
        steps.append("No postcode was given, so the responsible council cannot be worked out yet.")
        return Route(None, False, steps, missing="no_postcode")
    canonical = postcodes.normalise(postcode)
    if canonical is None:
        steps.append(f"'{postcode}' is not a valid UK postcode.")
        return Route(None, False, steps, missing="invalid_postcode")
    sector = postcodes.sector(canonical)
    local_code = doc.postcode_sectors.get(sector)
    if local_code is None:
        steps.append(f"Postcode sector {sector} is not in the partnership's area.")
        return Route(None, False, steps, missing="unknown_sector")
    local = doc.authority(local_code)
    assert local is not None  # guaranteed by the schema's reference checks
    steps.append(f"{canonical} is in sector {sector}, covered by {local.name} ({local.tier}).")

    responsible = local
    if service.tier == "county":
        if local.tier == "unitary":
            steps.append(f"{local.name} is a unitary council, so it runs county services too.")
        else:
            county = doc.authority(local.county or "")
            assert county is not None
            responsible = county
            steps.append(f"County services there are run by {county.name}.")
    elif local.tier == "unitary":
        steps.append(f"{local.name} is a unitary council and runs district services.")

    if responsible.partner:
        steps.append(f"{responsible.name} is a partner of the hub: its advisers handle this.")
    else:
        steps.append(f"{responsible.name} is not a partner of the hub: the citizen is signposted to it.")
    return Route(responsible, responsible.partner, steps)


def safeguarding_route(doc: PartnershipDoc, postcode: str | None) -> Route:
    """Safeguarding concerns always go to a county-level social care service.

    Without a usable postcode they go to the first partner county, because a person at
    risk must never wait for a routing question to be answered.
    """
    service = doc.service("social_care.safeguarding")
    assert service is not None
    decided = route(doc, service, postcode)
    if decided.authority is not None:
        return decided
    fallback = next((a for a in doc.authorities if a.tier == "county" and a.partner), doc.triage_authority)
    return Route(fallback, fallback.partner,
                 decided.explanation + [f"Safeguarding concerns without a known place go to {fallback.name}."])
