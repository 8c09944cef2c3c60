"""When only the service classifier leans towards safeguarding, a person reads the message.

The classifier's reading no longer raises a concern by itself (cross-validation: it caught no
concern the dedicated checks missed, and caused a quarter of the false alarms), but a message it
reads as a possible concern must not get an automated answer either (docs/decisions/0029).
"""
from __future__ import annotations

import datetime as dt

import pytest

from hub.triage.classify import Prediction
from hub.triage.pipeline import Contact, Pipeline

AT = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.timezone.utc)


class Leaning:
    """A classifier with a fixed reading, so the decision logic is tested on its own."""

    def __init__(self, ranked: tuple[tuple[str, float], ...], also: tuple[str, float, str] | None = None):
        self.ranked, self.also = ranked, also

    def predict(self, text: str, channel: str | None = None) -> Prediction:
        return Prediction(self.ranked[0][0], self.ranked[0][1], self.ranked, self.also)


def decide(doc, classifier, text="can I renew my library books online?", postcode=None):
    return Pipeline(doc, classifier, [lambda text, channel: None]).decide(
        Contact(text=text, channel="web", postcode=postcode, at=AT))


def leaning_towards(service: str) -> Leaning:
    return Leaning((("social_care.safeguarding", 0.6), (service, 0.3)))


def test_a_strong_lean_gets_an_adviser_not_an_automated_answer(partnership_doc):
    decision = decide(partnership_doc, Leaning((("social_care.safeguarding", 0.7), ("libraries.renewal", 0.2))))
    assert decision.service == "libraries.renewal"
    assert not decision.safeguarding and decision.disposition == "escalated" and decision.authority == "HUB"
    assert any("leaned towards safeguarding" in step for step in decision.explanation)
    assert any("advisers read it rather than an automated reply" in step for step in decision.explanation)
    assert decision.as_json()["safeguarding_lean"] is True


def test_a_part_of_the_message_leaning_towards_safeguarding_also_gets_an_adviser(partnership_doc):
    decision = decide(partnership_doc, Leaning((("libraries.renewal", 0.8), ("general.enquiry", 0.1)),
                                               also=("social_care.safeguarding", 0.6, "nobody would miss me")))
    assert decision.disposition == "escalated" and not decision.safeguarding
    assert decision.data.get("also") is None  # not offered to the citizen as a "second topic"


def test_a_weak_lean_lets_the_workflow_answer(partnership_doc):
    decision = decide(partnership_doc, Leaning((("social_care.safeguarding", 0.4), ("libraries.renewal", 0.35))))
    assert decision.service == "libraries.renewal" and decision.disposition == "self_served"


@pytest.mark.parametrize(("service", "text", "postcode", "authority"), [
    # A partner council's service goes to that council's advisers.
    ("environment.noise", "shouting next door again", "WR14 2EX", "MHDC"),
    # A non-partner council would be a signpost nobody here reads: the hub's advisers instead.
    ("waste.missed_bin", "bin not emptied at 4 High St", "WR10 1AB", "HUB"),
    # Outside the partnership altogether: not told to find their council, read by an adviser.
    ("environment.noise", "shouting next door again", "B1 1AA", "HUB"),
    # No place known: not an automated question back.
    ("roads.pothole", "a hole in the road", None, "HUB"),
])
def test_a_lean_is_never_signposted_or_asked_a_question_automatically(partnership_doc, service, text, postcode, authority):
    decision = decide(partnership_doc, leaning_towards(service), text, postcode)
    assert (decision.service, decision.disposition, decision.authority) == (service, "escalated", authority)
    assert decision.signpost is None and decision.needs == []


def test_an_urgent_report_that_leans_stays_urgent(partnership_doc):
    decision = decide(partnership_doc, leaning_towards("roads.pothole"), "pothole, a cyclist was injured", "WR14 2EX")
    assert decision.disposition == "urgent" and decision.authority == "WCC"
