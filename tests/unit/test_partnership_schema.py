"""The loader refuses bad partnership files with the field path and the reason."""
import copy

import pytest
import yaml

from hub.config import DEMO_PARTNERSHIP
from hub.partnership.schema import PartnershipError, parse


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(DEMO_PARTNERSHIP.read_text())


def refused(data):
    with pytest.raises(PartnershipError) as info:
        parse(data)
    return dict(info.value.problems)


def test_demo_is_valid(raw):
    doc = parse(raw)
    assert doc.authority("WCC").tier == "county"
    assert doc.service("roads.pothole").workflow == "street_report"


def test_unknown_tier(raw):
    data = copy.deepcopy(raw)
    data["authorities"][2]["tier"] = "parish"
    problems = refused(data)
    assert "authorities[2].tier" in problems
    assert "parish" in problems["authorities[2].tier"] or "Input should be" in problems["authorities[2].tier"]


def test_district_without_county(raw):
    data = copy.deepcopy(raw)
    del data["authorities"][2]["county"]
    assert "has no county" in refused(data)["authorities[2].county"]


def test_sector_pointing_at_unknown_council(raw):
    data = copy.deepcopy(raw)
    data["postcode_sectors"]["WR1 1"] = "NOPE"
    assert "NOPE" in refused(data)["postcode_sectors['WR1 1']"]


def test_duplicate_service_code(raw):
    data = copy.deepcopy(raw)
    data["services"].append(copy.deepcopy(data["services"][0]))
    problems = refused(data)
    key = f"services[{len(data['services']) - 1}].code"
    assert "duplicate" in problems[key]


def test_unknown_workflow(raw):
    data = copy.deepcopy(raw)
    data["services"][0]["workflow"] = "teleport"
    assert "unknown workflow" in refused(data)["services[0].workflow"]


def test_unknown_field(raw):
    data = copy.deepcopy(raw)
    data["authorities"][0]["colour"] = "blue"
    assert "authorities[0].colour" in refused(data)


def test_every_cross_reference_problem_is_listed_at_once(raw):
    data = copy.deepcopy(raw)
    data["postcode_sectors"]["nonsense"] = "WCITY"
    data["knowledge_base"][0]["service"] = "no.such"
    data["partnership"]["triage_authority"] = "NOBODY"
    problems = refused(data)
    assert "postcode_sectors['nonsense']" in problems
    assert "knowledge_base[0].service" in problems
    assert "partnership.triage_authority" in problems


def test_a_fourth_council_is_a_yaml_change(raw):
    data = copy.deepcopy(raw)
    data["authorities"].append({"code": "NEWD", "name": "New District", "tier": "district", "partner": True,
                                "county": "WCC", "phone": "01632 960099", "web": "https://new.example"})
    data["postcode_sectors"]["WR7 4"] = "NEWD"
    doc = parse(data)
    from hub.partnership.routing import route

    assert route(doc, doc.service("waste.bin_day"), "WR7 4AB").authority_code == "NEWD"
    assert route(doc, doc.service("roads.pothole"), "WR7 4AB").authority_code == "WCC"
