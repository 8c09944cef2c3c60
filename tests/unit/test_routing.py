"""Routing for every tier and partner/non-partner combination, on the demo partnership."""
import pytest

from hub.config import DEMO_PARTNERSHIP
from hub.partnership.routing import route, safeguarding_route
from hub.partnership.schema import read


@pytest.fixture(scope="module")
def doc():
    return read(DEMO_PARTNERSHIP)[0]


@pytest.mark.parametrize("service, postcode, authority, partner", [
    # district services: the district covering the sector
    ("waste.bin_day", "WR14 3AB", "MHDC", True),      # partner district
    ("waste.bin_day", "WR1 1AA", "WCITY", True),      # partner district
    ("waste.bin_day", "WR10 1XY", "WYCH", False),     # non-partner district
    ("waste.bin_day", "B60 1AA", "BROM", False),
    ("waste.bin_day", "HR1 1AA", "HEREF", False),     # unitary, non-partner
    ("environment.noise", "WR2 4AB", "MHDC", True),
    # county services: the district's county, or the unitary itself
    ("roads.pothole", "WR14 3AB", "WCC", True),       # partner district -> partner county
    ("roads.street_light", "WR10 1XY", "WCC", True),  # non-partner district -> partner county
    ("roads.street_light", "DY10 1AA", "WCC", True),
    ("roads.pothole", "HR8 1AA", "HEREF", False),     # unitary runs county services
    ("roads.pothole", "WR13 6AA", "HEREF", False),
    # partnership services: the hub itself, with or without a postcode
    ("general.enquiry", None, "HUB", True),
    ("general.complaint", "HR1 1AA", "HUB", True),
])
def test_route(doc, service, postcode, authority, partner):
    decided = route(doc, doc.service(service), postcode)
    assert decided.authority_code == authority
    assert decided.partner is partner
    assert decided.explain()
    if partner:
        assert decided.signpost is None
    else:
        assert decided.signpost["code"] == authority
        assert decided.signpost["phone"] and decided.signpost["web"]


@pytest.mark.parametrize("postcode, missing", [(None, "no_postcode"), ("WR99", "invalid_postcode"),
                                                ("GL50 1AA", "unknown_sector")])
def test_route_without_a_place(doc, postcode, missing):
    decided = route(doc, doc.service("waste.bin_day"), postcode)
    assert decided.authority is None and decided.missing == missing
    assert decided.explain()


def test_explanation_is_plain_language(doc):
    text = route(doc, doc.service("roads.street_light"), "WR10 1XY").explain()
    assert "Wychavon District Council" in text and "Worcestershire County Council" in text
    assert "partner" in text


def test_safeguarding_without_postcode_goes_to_partner_county(doc):
    assert safeguarding_route(doc, None).authority_code == "WCC"
    assert safeguarding_route(doc, "HR1 1AA").authority_code == "HEREF"
