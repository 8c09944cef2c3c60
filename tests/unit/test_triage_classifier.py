"""The trained triage models on the messages councils really get."""
import json
from pathlib import Path

import pytest

from hub.triage.safeguarding import paraphrase
from hub.triage.text import normalise

HELDOUT = Path(__file__).resolve().parents[1] / "data" / "triage_heldout.jsonl"


@pytest.mark.parametrize("text, channel, service", [
    ("potholl on the rd outside skool", "sms", "roads.pothole"),  # typos
    ("my bin wasnt colected 2day pls help", "sms", "waste.missed_bin"),  # text-speak
    ("wen is my recyclin bin day", "sms", "waste.bin_day"),
    ("stret lite not wrking outside no 5", "sms", "roads.street_light"),
    ("how do i renew my libary books", "web", "libraries.renewal"),
    ("sum1 dumped a load of old tyres n a mattress in the layby", "sms", "environment.fly_tipping"),
])
def test_typos_and_text_speak(decide, text, channel, service):
    assert decide(text, channel, "WR1 1AB").service == service


def test_long_email_with_quoted_history_is_classified_by_what_the_citizen_wrote(decide):
    email = ("Dear Sir/Madam,\n\nI hope you are well. I am writing, not for the first time, because the street "
             "light outside my house on Albert Road has not come on at night for nearly three weeks now. It is very "
             "dark when I come back from work and the neighbours have noticed it too. I did ring about it "
             "but I never heard anything back, so I thought I would try email instead.\n\n"
             "Kind regards\nJohn Smith\n\nOn Tue, 3 Mar 2026, Worcestershire Hub wrote:\n"
             "> Thank you for your message about your council tax direct debit.\n")
    decision = decide(email, "email", "WR14 3AB")
    assert decision.service == "roads.street_light" and decision.authority == "WCC"


def test_two_topics_keep_the_main_request_and_name_the_other(decide):
    decision = decide("There's a massive pothole on Church Street that has burst my tyre. "
                      "Also my recycling bin was not emptied on Monday.", "web", "WR14 3AB")
    assert decision.service == "roads.pothole"
    assert decision.data["also"] == "waste.missed_bin"
    assert any("also seems to be about 'Report a missed bin collection'" in step for step in decision.explanation)


def test_low_confidence_goes_to_the_hub_triage_queue_not_a_guess(decide):
    decision = decide("qwerty zxcvb", "sms")
    assert decision.service is None and decision.authority == "HUB"
    assert decision.disposition == "escalated"
    assert "triage queue" in decision.explanation[-1]


def test_services_that_need_nothing_never_ask_for_a_postcode(decide):
    decision = decide("how do I register a death", "web")
    assert decision.service == "registration.birth_death"
    assert decision.disposition != "needs_info" and "postcode" not in decision.reply.lower()


def test_a_service_that_needs_a_postcode_asks_for_it(decide):
    decision = decide("when is my bin day", "sms")
    assert decision.disposition == "needs_info" and decision.needs == ["postcode"]


def test_urgent_terms_and_paraphrases_go_to_the_top_of_the_partner_queue(decide):
    by_term = decide("pothole caused an accident outside the school", "web", "WR14 3AB")
    assert (by_term.disposition, by_term.authority, by_term.urgent) == ("urgent", "WCC", True)
    paraphrased = decide("lamp post hit by a van and bent right over the pavement, wires showing", "web", "WR1 1AB")
    assert paraphrased.disposition == "urgent" and paraphrased.service == "roads.street_light"


def test_an_urgent_report_in_a_non_partner_area_is_urgent_and_tells_the_citizen_to_call_today(decide):
    decision = decide("needles dumped in the park by the swings", "web", "WR10 1AB")
    assert (decision.service, decision.authority, decision.disposition) == ("environment.fly_tipping", "WYCH", "urgent")
    assert "contact them today" in decision.reply and decision.signpost["code"] == "WYCH"


@pytest.mark.parametrize("text", [
    "i want to kill myself",  # a configured term
    "i feel like there is no point anymore, everyone would be better off without me",
    "been thinking about taking all my tablets tonight",
    "my boyfriend grabs me by the throat when he's drunk",
    "he said he'll stab me if i leave",
    "the kids next door are left on their own all weekend and look hungry",
    "a toddler was crying for hours in the flat upstairs and nobody came",
    "the carer keeps taking nan's money and shouts at her",
    "an elderly man with dementia is locked in his house all day by his son",
    "my uncle keeps touching me and i dont want him to",
])
def test_safeguarding_paraphrases_are_caught(decide, text):
    decision = decide(text, "sms")
    assert decision.safeguarding and decision.disposition == "urgent"
    assert decision.service == "social_care.safeguarding" and decision.workflow is None
    assert decision.reply.startswith("If you or someone else is in immediate danger call 999")


def test_safeguarding_in_any_topic_wins_over_a_self_service_answer(decide):
    decision = decide("when is my bin day? also my husband hits me and I'm scared", "sms", "WR14 3AB")
    assert decision.safeguarding and decision.authority == "WCC"


@pytest.mark.parametrize("held_out", [HELDOUT, HELDOUT.with_name("triage_heldout_v2.jsonl"),
                                      HELDOUT.with_name("triage_heldout_v3.jsonl")], ids=["v1", "v2", "v3"])
def test_safeguarding_recall_on_the_held_out_sets_is_one(decide, held_out):
    rows = [json.loads(line) for line in held_out.read_text().splitlines() if line.strip()]
    at_risk = [row for row in rows if row["safeguarding"]]
    assert len(at_risk) >= 30
    missed = [row["id"] for row in at_risk
              if not decide(row["text"], row["channel"], row["postcode"]).safeguarding]
    assert missed == []


@pytest.mark.parametrize(("text", "concern"), [
    ("cant cope. been saving up my pills", "self-harm"),
    ("i have been stockpiling my tablets for weeks", "self-harm"),
    ("the baby upstairs is left crying in its cot for hours while the parents are out at the pub", "a child"),
    ("two little kids left in a car for hours in the car park", "a child"),
    ("i feel like such a burden, might just go to sleep n not wake up", "self-harm"),
    ("cant stop thinking bout the railway line", "self-harm"),
    ("keep gettin thoughts about drivin my car in2 a bridge on purpose", "self-harm"),
    ("sat on the railway bridge writin this", "self-harm"),
    ("wish i cud just not exist any more", "self-harm"),
    ("i just cant see the point of carryin on", "self-harm"),
    ("sorted my paperwork so that nobody has to find me", "self-harm"),
    ("kids under 6 out barefoot at midnight, mum passed out on the step", "a child"),
    ("a man has moved into her flat and takes her pension, she is 80", "a vulnerable adult"),
    ("my neighbour is deaf, theres strangers in his flat usin it 2 deal from", "a vulnerable adult"),
    ("jus want it all 2 stop. hav the pills here", "self-harm"),
    ("my son will sort out anything else after I've gone. I've had enough of living in this pain", "self-harm"),
    ("hes 79 and the men keep coming back, payments to a roofing company of 4500", "a vulnerable adult"),
    ("I have the tablets here for my mum, can I get a blister pack", None),
    ("moving to spain so wont need the garden bin after this month", None),
    ("tenant has stockpiled his prescribed amitriptyline and intends to take it", "self-harm"),
    ("council tax up again, guess ill just walk into the severn then", "self-harm"),
    ("cant do this anymore. sorry for wasting ur time. just wanted someone to no", "self-harm"),
    ("self-neglect referral: home in squalor, no food, soiled clothing", "abuse or exploitation"),
    ("the kids like to walk in the water at the ford", None),
    ("we are stockpiling sandbags for the winter floods", None),
    ("tired of living like this", "self-harm"),
    ("I've had enough of living in this pain", "self-harm"),
    ("bin day? also he hit me out of nowhere yesterday", "domestic abuse"),
    ("can u stop my council tax? theres no way out. the canal is at the end of my road. sorry", "self-harm"),
    ("pay off the whole year so nothing is owing. getting my affairs in order. theres a rope up in the loft", "self-harm"),
    ("my recycling was missed but it doesnt matter, its the last one ill ever put out", "self-harm"),
    ("clearing out my whole room. ive written my notes for everyone", "self-harm"),
    ("I have been putting my night tablets aside for a month now", "self-harm"),
    ("I'm putting my affairs in order before we move to Spain in March", None),
    ("the lorry drove into the wall of my garden", None),
    ("the dog next door barks all night and I want it to stop", None),
    ("my address does not exist on your website dropdown", None),
    ("no need to contact me again, the pothole has been fixed", None),
    ("we won't be needing it anymore, please take the garden bin away", None),
    ("once I've gone through the form I will send it back", None),
    ("the council needs to find me somewhere to live", None),
    ("the pothole made me drive my car into the wall", None),
    ("kids sitting on the railway bridge throwing stones", None),
    ("dangerous blind bend on church lane, someone will get hurt", None),
    ("she is 75 and the foxes keep coming back to her bins", None),
    ("the bin has been out on the street for under 3 weeks and it is filthy", None),
    ("sick of living in this house with the damp", None),
    ("i am sick of living next to this noise", None),
    ("my mum has moved into a care home, is her house exempt from council tax", None),
    ("my mum has kicked me out and i have nowhere to sleep tonight", None),
    ("saving up for a new bin", None),
    ("the railway line behind us is noisy all night", None),
    ("the library was left open for hours", None),
])
def test_paraphrase_patterns_alone(text, concern):
    """The patterns are one of three independent checks: each must hold without the model."""
    found = paraphrase(normalise(text))
    assert (found is None) if concern is None else (found is not None and concern in found), found


def test_ordinary_requests_are_not_safeguarding(decide):
    for text in ["when is my bin day", "pothole on the high street", "how do I pay my council tax",
                 "my mum needs help with washing and dressing at home"]:
        assert not decide(text, "web", "WR14 3AB").safeguarding, text


def test_a_service_the_citizen_chose_never_skips_the_safeguarding_check(decide):
    decision = decide("bin day please. my husband hits me when the bins are late", "web", "WR14 3AB",
                      service="waste.bin_day")
    assert decision.safeguarding and decision.service == "social_care.safeguarding"


def test_partnership_services_go_to_the_hub_and_need_no_postcode(decide):
    decision = decide("I want to make a complaint about how I was treated on the phone", "web")
    assert (decision.service, decision.authority, decision.disposition) == ("general.complaint", "HUB", "escalated")


def test_faq_service_with_a_postcode_outside_the_partnership_is_signposted(decide):
    decision = decide("how do I renew my library books", "web", "HR1 1AA")
    assert (decision.authority, decision.disposition) == ("HEREF", "signposted")
