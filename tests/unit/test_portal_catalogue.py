"""Finding services by what people call them, and what each journey adds up to."""
from __future__ import annotations

from hub.config import DEMO_PARTNERSHIP
from hub.partnership.schema import read
from hub.portal import catalogue
from hub.portal.journeys import JOURNEYS, contact_text, first_missing, summary

DOC, _ = read(DEMO_PARTNERSHIP)


def test_search_uses_citizens_words() -> None:
    assert catalogue.search(DOC, "my bin wasn't emptied")[0].code == "waste.missed_bin"
    assert catalogue.search(DOC, "lamp post flickering")[0].code == "roads.street_light"
    assert catalogue.search(DOC, "sofa")[0].code == "waste.bulky"
    assert catalogue.search(DOC, "the") == []


def test_each_service_starts_the_right_journey() -> None:
    assert catalogue.page(DOC, "waste.bin_day").journey == "bin_day"
    assert catalogue.page(DOC, "libraries.renewal").journey == "question"
    assert catalogue.page(DOC, "environment.noise").journey == "other"
    assert catalogue.page(DOC, "no.such") is None
    safeguarding = catalogue.page(DOC, "social_care.safeguarding")
    assert safeguarding.urgent and "Worcestershire County Council" in safeguarding.responsible


def test_district_service_page_names_partners_and_signposted_councils() -> None:
    text = catalogue.page(DOC, "waste.missed_bin").responsible
    assert "Malvern Hills District Council" in text and "Wychavon District Council" in text


def test_missing_answers_send_people_back_to_the_first_unanswered_question() -> None:
    journey = JOURNEYS["missed_bin"]
    assert first_missing(journey, {}) == "postcode"
    assert first_missing(journey, {"postcode": "WR1 1AB", "address": "1 High St"}) == "bin_type"
    done = {"postcode": "WR1 1AB", "address": "1 High St", "bin_type": "garden", "contact_done": True}
    assert first_missing(journey, done) is None
    assert ("Bin", "Garden waste", "bin_type") in summary(journey, done)


def test_contact_text_carries_what_triage_needs() -> None:
    body, place = contact_text(JOURNEYS["missed_bin"], {"postcode": "WR1 1AB", "address": "1 High St",
                                                         "bin_type": "recycling"})
    assert "recycling bin was not collected" in body and "WR1 1AB" in body and place == "1 High St, WR1 1AB"
    body, place = contact_text(JOURNEYS["pothole"], {"postcode": "WR14 3AB", "location": "by the school",
                                                      "description": "deep hole"})
    assert body.startswith("Report a pothole: deep hole") and place == "by the school, WR14 3AB"
