"""An emergency (fire, smoke, gas, a collapse, flooding into a home) is sent to 999 before
anything else, and followed up urgently (docs/decisions/0023)."""
import pytest

from hub.triage.pipeline import EMERGENCY_REPLY, emergency


@pytest.mark.parametrize("text, kind", [
    ("the bins behind the flats are on fire", "fire"),
    ("there is a strong smell of gas in my street", "gas"),
    ("I think there's a gas leak outside number 4", "gas"),
    ("my neighbour has collapsed and isn't breathing", "collapse"),
    ("an old man collapsed at the bus stop", "collapse"),
    ("water is pouring into my house from the road", "flooding"),
    ("the stairwell is full of smoke", "smoke"),
])
def test_emergency_phrases(text, kind):
    assert emergency(text) == kind


@pytest.mark.parametrize("text", [
    "my neighbour's bonfire smoke every weekend", "I was fired from my job and need help with rent",
    "which bin for a gas bottle", "the fire station road has a pothole", "flood defences on the river",
    "when is my bin day", "the road surface has collapsed near the bridge", "the garden wall collapsed onto the path",
])
def test_ordinary_messages_are_not_emergencies(text):
    assert emergency(text) is None


def test_a_gas_smell_without_a_postcode_says_999_first_and_goes_urgent_to_the_triage_advisers(decide):
    decision = decide("there is a strong smell of gas in my street", "sms")
    assert decision.reply.startswith(EMERGENCY_REPLY) and "0800 111 999" in decision.reply
    assert (decision.disposition, decision.urgent, decision.authority) == ("urgent", True, "HUB")
    assert decision.needs == [] and "postcode" not in decision.reply


def test_a_fire_in_a_partner_area_goes_urgent_to_the_responsible_council(decide):
    decision = decide("someone dumped rubbish in the layby and it is on fire", "web", "WR14 3AB")
    assert decision.reply.startswith("If anyone is in danger, call 999 now")
    assert decision.disposition == "urgent" and decision.authority in ("MHDC", "WCC")
    assert "effect" not in decision.data


def test_an_emergency_outside_the_partnership_still_says_999(decide):
    decision = decide("water is pouring into my house from the road B1 1AA", "web")
    assert decision.reply.startswith(EMERGENCY_REPLY)
    assert (decision.disposition, decision.authority) == ("urgent", "HUB")


def test_a_missed_bin_with_an_emergency_logs_nothing(decide):
    decision = decide("my bin was not emptied at 12 Elm Road WR14 3AB and now it is on fire", "web",
                      service="waste.missed_bin")
    assert decision.disposition == "urgent" and "effect" not in decision.data
