"""Normalisation: what every later triage step reads."""
from hub.triage.text import normalise, segments, strip_email


def test_text_speak_and_misspellings_are_expanded():
    assert normalise("wot day r bins colected 2moro pls") == "what day are bin collected tomorrow please"
    assert normalise("St light OUT on Henwick Rd!!") == "street light out on henwick road"
    assert normalise("streetlight out, lamppost leaning") == "street light out lamp post leaning"


def test_apostrophes_stretched_letters_and_unicode_are_tolerated():
    assert normalise("I\u2019m sooooo fed up, it isn't emptied") == "i am soo fed up it is not emptied"


def test_email_quoted_history_and_signature_are_removed():
    email = ("Hi,\n\nThe pothole outside number 4 is getting worse.\n\nKind regards\nJane Smith\n07700 900123\n\n"
             "On Tue, 3 Mar 2026 at 10:02, Worcestershire Hub <contact@hub.example.org> wrote:\n"
             "> Thank you for your message about your council tax bill.\n")
    assert strip_email(email) == "Hi,\n\nThe pothole outside number 4 is getting worse."
    assert "council tax" not in normalise(email, channel="email")


def test_inline_quotes_and_phone_footers_are_removed():
    email = "> Your report has been logged.\n\nIt is still there a week later.\n\nSent from my iPhone"
    assert strip_email(email) == "It is still there a week later."


def test_a_sign_off_word_early_in_a_long_email_is_kept():
    body = "Thanks,\n" + "the street light outside the school has been flickering for weeks. " * 10
    assert "flickering" in strip_email(body)


def test_segments_split_sentences_and_also_clauses():
    parts = segments("There is a huge pothole on Church Street. Also my recycling bin was not emptied on Monday.")
    assert parts == ["There is a huge pothole on Church Street.", "Also my recycling bin was not emptied on Monday."]
    assert segments("pothole on my road also the street light is out") == ["pothole on my road", "the street light is out"]


def test_dropped_gs_and_more_text_speak_are_expanded_but_ordinary_in_words_are_not():
    assert normalise("keep gettin thoughts about drivin my car in2 a bridge") == \
        "keep getting thoughts about driving my car into a bridge"
    assert normalise("wish i cud just not exist, hav u got any1") == "wish i could just not exist have you got anyone"
    # "-in" also ends ordinary words: only the listed verbs are expanded.
    assert normalise("the bin in the cabin within the margin") == "the bin in the cabin within the margin"
