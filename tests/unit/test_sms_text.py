"""SMS segment counting, the 1,600 limit, keywords and phone numbers: pure rules."""
from __future__ import annotations

import pytest

from channels.sms import keywords, text
from channels.sms.keywords import Command
from channels.sms.phone import mask, to_e164


@pytest.mark.parametrize("body, encoding, count", [
    ("", "GSM-7", 0),
    ("a" * 160, "GSM-7", 1),
    ("a" * 161, "GSM-7", 2),
    ("a" * 306, "GSM-7", 2),
    ("a" * 307, "GSM-7", 3),
    ("€" * 80, "GSM-7", 1),  # escaped: two septets each
    ("€" * 81, "GSM-7", 2),
    ("a" * 152 + "€" + "a" * 10, "GSM-7", 2),  # the escape pair is not split
    ("a" * 152 + "€" + "a" * 152, "GSM-7", 3),
    ("Your bin is due Monday \u2013 general waste", "UCS-2", 1),  # an en dash forces UCS-2
    ("\u2019" * 70, "UCS-2", 1),
    ("\u2019" * 71, "UCS-2", 2),
    ("x" * 66 + "\U0001F600" + "x" * 5, "UCS-2", 2),  # a surrogate pair stays whole
    ("Zürich £5 @ café", "GSM-7", 1),
])
def test_segments(body, encoding, count):
    got = text.segments(body)
    assert (got.encoding, got.count) == (encoding, count)


def test_prepare_swaps_lookalikes_so_the_text_stays_gsm7():
    body = text.prepare("We\u2019ll collect it \u201ctomorrow\u201d \u2013 sorry\u2026")
    assert body == "We'll collect it \"tomorrow\" - sorry..."
    assert text.segments(body).encoding == "GSM-7"


def test_prepare_cuts_long_text_at_a_word_boundary_within_1600():
    body = text.prepare("word " * 500)
    assert len(body) <= text.MAX_BODY and body.endswith("word [...]")
    assert text.prepare("a" * 1600) == "a" * 1600
    unbroken = text.prepare("a" * 2000)
    assert len(unbroken) == 1600 and unbroken.endswith("[...]")


@pytest.mark.parametrize("body, command", [
    ("STOP", Command("stop")), ("stop.", Command("stop")), (" Unsubscribe ", Command("stop")),
    ("STOPALL", Command("stop")), ("cancel", Command("stop")), ("End", Command("stop")), ("quit!", Command("stop")),
    ("start", Command("start")), ("UNSTOP", Command("start")), ("Yes", Command("yes")),
    ("help", Command("help")), ("HELP?", Command("help")),
    ("BIN WR14 3AB", Command("bin", "WR14 3AB")), ("bin wr143ab", Command("bin", "WR14 3AB")),
    ("bin", Command("bin")), ("Bin day", Command("bin")),
    ("STATUS K7MA-9QR3", Command("status", "K7MA-9QR3")), ("status", Command("status")),
    ("stop the noise next door", Command("text")), ("bin collection was missed on Church Street", Command("text")),
    ("status of my pothole report from last week", Command("text")), ("cancelled my bin?", Command("text")),
])
def test_keywords(body, command):
    assert keywords.parse(body) == command


@pytest.mark.parametrize("raw, e164", [
    ("+447700900123", "+447700900123"), ("07700 900123", "+447700900123"), ("(01632) 960 001", "+441632960001"),
    ("+1 500 555 0006", "+15005550006"), ("COUNCIL", None), ("", None), ("12", None),
])
def test_phone_numbers_in_e164(raw, e164):
    assert to_e164(raw) == e164


def test_masking_keeps_only_the_country_and_the_last_digits():
    assert mask("+447700900123") == "+44*******123"
    assert "900123" not in mask("+447700900123")
    assert mask(None) == "-"
