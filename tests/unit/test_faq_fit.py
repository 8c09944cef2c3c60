"""The FAQ workflow's learned fit: when does the knowledge-base article answer the question?"""
import datetime as dt

import pytest

from hub.config import DEMO_PARTNERSHIP
from hub.partnership.routing import route
from hub.partnership.schema import read
from hub.triage import model
from hub.triage.pipeline import Contact, train_workflows
from hub.triage.service import build_pipeline
from workflows import faq

DOC, _ = read(DEMO_PARTNERSHIP)
AT = dt.datetime(2026, 12, 4, 10, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def fit() -> faq.FitModel:
    trained = faq.train(DOC, model.read_jsonl(model.TRAIN_FILE))
    assert trained is not None, "the training set has enough labelled FAQ messages of both kinds"
    return trained


def answer(text: str, service_code: str, trained: faq.FitModel | None):
    service = DOC.service(service_code)
    return faq.answer(doc=DOC, service=service, contact=Contact(text=text, at=AT), postcode=None,
                      route=route(DOC, service, None), at=AT, trained=trained)


ANSWERS, ESCALATES = ("self_served", "Answered from the knowledge base"), ("escalated", "does not answer it")


@pytest.mark.parametrize(("service", "text", "expected"), [
    ("council_tax.payment", "how do I pay my council tax", ANSWERS),
    ("waste.recycling_centre", "what time does the tip shut on a saturday", ANSWERS),
    ("libraries.renewal", "can i renew my library books online", ANSWERS),
    ("registration.birth_death", "my dad died yesterday, how long do we have to register his death?", ANSWERS),
    ("council_tax.payment", "I was charged twice for my council tax this month and I want a refund", ESCALATES),
    ("libraries.renewal", "I have been fined for a book I returned weeks ago, please take the fine off", ESCALATES),
    ("schools.admissions", "my son is being bullied at school and nobody is doing anything", ESCALATES),
])
def test_the_learned_fit_answers_only_what_the_article_answers(fit, service, text, expected):
    result = answer(text, service, fit)
    disposition, reason = expected
    assert result.disposition == disposition, result.explanation
    assert reason in result.explanation
    assert (faq.ASK_FOR_PERSON in result.reply) == (disposition == "self_served")


def test_too_few_labelled_messages_leave_the_hand_set_rule_in_charge():
    few = [{"service": "libraries.renewal", "text": "renew my books", "disposition": "self_served"}] * 3
    assert faq.train(DOC, few) is None
    result = answer("how do I pay my council tax", "council_tax.payment", None)
    assert result.disposition == "self_served" and "at least" in result.explanation


def test_labels_come_from_faq_fits_when_given_else_from_the_disposition():
    items = [
        {"service": "libraries.renewal", "text": "a", "disposition": "self_served"},
        {"service": "libraries.renewal", "text": "b", "disposition": "escalated"},
        {"service": "libraries.renewal", "text": "c", "disposition": "escalated", "faq_fits": True},
        {"service": "libraries.renewal", "text": "d", "disposition": "signposted"},
        {"service": "libraries.renewal", "text": "e", "disposition": "urgent", "safeguarding": True},
        {"service": "roads.pothole", "text": "f", "disposition": "self_served"},
    ]
    learnt = [(text, fits) for _, text, fits in faq.examples(DOC, items)[len(DOC.knowledge_base):]]
    assert learnt == [("a", True), ("b", False), ("c", True)]


def test_the_pipeline_hands_the_trained_fit_to_the_faq_workflow():
    trained = train_workflows(DOC, model.read_jsonl(model.TRAIN_FILE))
    assert set(trained) == {"faq"} and isinstance(trained["faq"], faq.FitModel)
    pipeline = build_pipeline(DOC)
    decision = pipeline.decide(Contact(text="can I pay my council tax at the post office?", at=AT))
    assert decision.service == "council_tax.payment" and decision.disposition == "self_served"
    assert any("fit 0." in step for step in decision.explanation)
