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


@pytest.mark.parametrize("change, path, reason", [
    (lambda d: d["partnership"]["working_hours"].update(days=[]), "partnership.working_hours.days", "at least 1"),
    (lambda d: d["waste_collection"].update(repeat_miss_escalation={}),
     "waste_collection.repeat_miss_escalation.count", "Field required"),
    (lambda d: d["waste_collection"].update(repeat_miss_escalation={"count": 3}),
     "waste_collection.repeat_miss_escalation.weeks", "Field required"),
    (lambda d: d["waste_collection"].update(repeat_miss_escalation={"count": 0, "weeks": 8}),
     "waste_collection.repeat_miss_escalation.count", "greater than or equal to 1"),
    (lambda d: d["waste_collection"].update(repeat_miss_escalation={"count": 3, "weeks": 8, "days": 2}),
     "waste_collection.repeat_miss_escalation.days", "Extra inputs"),
    (lambda d: d["services"][3].update(name="n" * 201), "services[3].name", "at most 200 characters"),
    (lambda d: d["services"][3].update(code="roads." + "x" * 60), "services[3].code", "at most 64 characters"),
    (lambda d: d["authorities"][1].update(phone="0" * 33), "authorities[1].phone", "at most 32 characters"),
    (lambda d: d["authorities"][1].update(name="n" * 201), "authorities[1].name", "at most 200 characters"),
    (lambda d: d["authorities"][1].update(web="https://" + "w" * 300), "authorities[1].web", "at most 300 characters"),
    (lambda d: d["partnership"].update(name="p" * 201), "partnership.name", "at most 200 characters"),
    (lambda d: d["partnership"].update(sms_number="+44" + "7" * 30), "partnership.sms_number", "at most 32"),
    (lambda d: d["partnership"].update(email_address="a" * 250 + "@x.org"), "partnership.email_address", "at most 254"),
    (lambda d: d["contact_costs"]["web"].update(assisted=1_000_000), "contact_costs.web.assisted", "no more than 6 digits before"),
    (lambda d: d["contact_costs"]["web"].update(assisted="1.234"), "contact_costs.web.assisted", "2 decimal places"),
])
def test_values_the_hub_cannot_use_or_store_are_refused_with_their_path(raw, change, path, reason):
    data = copy.deepcopy(raw)
    change(data)
    problems = refused(data)
    assert path in problems, problems
    assert reason in problems[path]


def test_repeat_miss_escalation_is_read_as_a_policy(raw):
    policy = parse(raw).waste_collection.repeat_miss_escalation
    assert (policy.count, policy.weeks) == (3, 8)
