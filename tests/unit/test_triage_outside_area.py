"""A postcode outside the partnership is told, not asked again (review finding 18, docs/decisions/0023)."""
import pytest

from hub.triage.pipeline import FIND_YOUR_COUNCIL


def test_a_valid_postcode_outside_the_partnership_is_signposted_not_asked_again(decide):
    decision = decide("big pothole on the high street B1 1AA", "sms")
    assert (decision.service, decision.disposition, decision.authority) == ("roads.pothole", "signposted", None)
    assert decision.needs == []
    assert "B1 1AA is outside the councils this hub serves" in decision.reply
    assert FIND_YOUR_COUNCIL in decision.reply and "Malvern Hills District Council" in decision.reply
    assert "we need" not in decision.reply


def test_the_same_answer_again_does_not_loop(decide):
    first = decide("big pothole on the high street B1 1AA", "sms")
    again = decide("big pothole on the high street B1 1AA\n\nB1 1AA", "sms")
    assert first.disposition == again.disposition == "signposted"


@pytest.mark.parametrize("text, service", [
    ("when is my bin collected", "waste.bin_day"),
    ("how do I renew my library books", "libraries.renewal"),
])
def test_every_council_service_outside_the_area_is_signposted(decide, text, service):
    decision = decide(text, "web", "GL50 1AA", service=service)
    assert (decision.disposition, decision.authority) == ("signposted", None)


def test_a_gap_in_our_own_postcode_district_goes_to_an_adviser(decide):
    # WR14 has sectors in the partnership's map; WR14 9 is not one of them (a new estate, say).
    decision = decide("big pothole on the high street WR14 9ZZ", "sms")
    assert (decision.disposition, decision.authority) == ("escalated", "HUB")
    assert "could not match WR14 9ZZ to a council" in decision.reply


def test_only_an_invalid_postcode_is_asked_for_again(decide):
    decision = decide("big pothole on the high street", "sms", "ZZ9 9ZZZ")
    assert decision.disposition == "needs_info" and decision.needs == ["location"]


def test_evaluation_rule_2_relabels_the_old_postcode_loop_as_decision_0023_decides(partnership_doc):
    from hub.triage.evaluate import relabel

    outside = {"service": "waste.bin_day", "postcode": "DY9 8TQ", "authority": None, "disposition": "needs_info"}
    gap = {"service": "waste.bin_day", "postcode": "WR14 9ZZ", "authority": None, "disposition": "needs_info"}
    known = {"service": "waste.bin_day", "postcode": "WR14 3AB", "authority": None, "disposition": "needs_info"}
    assert relabel(partnership_doc, outside) == "rule 2" and (outside["disposition"], outside["authority"]) == \
        ("signposted", None)
    assert relabel(partnership_doc, gap) == "rule 2" and (gap["disposition"], gap["authority"]) == ("escalated", "HUB")
    assert relabel(partnership_doc, known) is None and known["disposition"] == "needs_info"
