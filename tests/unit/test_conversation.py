"""Which follow-ups ask for a person (they escalate an automatic answer)."""
import pytest

from hub.cases.service import asks_for_person


@pytest.mark.parametrize("text", ["PERSON", "person", " Person. ", "Can I speak to someone please",
                                  "I want to talk to a real person", "this did not answer my question",
                                  "that doesn't help", "speak to an adviser"])
def test_asks_for_a_person(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", ["12 Elm Road", "WR14 3AB", "the black bin", "a person dumped rubbish in the lane",
                                  "my neighbour is a nice person", "it's by the bus stop"])
def test_ordinary_answers_do_not(text):
    assert not asks_for_person(text)
