"""Normalising what citizens write before anything tries to understand it.

Council inboxes get text-speak by SMS ("wot day r bins"), long emails that carry the whole
quoted thread and a signature, and common misspellings ("rubish", "pot hole", "colected").
Every later step (safeguarding terms, the classifiers, urgent terms) works on the same
normalised text, so a term configured as "street light" also matches "streetlight" and
"st light".
"""
from __future__ import annotations

import re
import unicodedata

# Text-speak, abbreviations and frequent misspellings seen in council SMS and web forms.
# Digits and single letters are left alone ("4" in "4 Church St" is a house number, "B" a band).
ABBREVIATIONS = {
    "pls": "please", "plz": "please", "plse": "please", "u": "you", "ur": "your", "r": "are",
    "n": "and", "nt": "not", "wasnt": "was not", "wont": "will not", "cant": "can not", "dont": "do not", "doesnt": "does not",
    "isnt": "is not", "hasnt": "has not", "havent": "have not", "didnt": "did not", "werent": "were not",
    "aint": "is not", "wouldnt": "would not", "couldnt": "could not", "shouldnt": "should not",
    "st": "street", "rd": "road", "ln": "lane", "ave": "avenue", "thx": "thanks", "tx": "thanks",
    "ty": "thank you", "cheers": "thanks", "2day": "today", "2moro": "tomorrow", "2morrow": "tomorrow",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tomoz": "tomorrow", "2nite": "tonight", "nite": "night",
    "tonite": "tonight", "wk": "week", "wks": "weeks", "b4": "before", "cld": "could", "wld": "would",
    "shld": "should", "bc": "because", "cos": "because", "coz": "because", "cuz": "because",
    "ppl": "people", "msg": "message", "info": "information", "asap": "as soon as possible",
    "govt": "government", "ctax": "council tax", "hb": "housing benefit", "recyc": "recycling",
    "wot": "what", "wat": "what", "wht": "what", "wen": "when", "whn": "when", "wer": "where",
    "hw": "how", "sum1": "someone", "some1": "someone", "any1": "anyone", "no1": "no one",
    "every1": "everyone", "gr8": "great", "l8": "late", "l8r": "later", "m8": "mate",
    "yr": "year", "yrs": "years", "mins": "minutes", "hrs": "hours", "abt": "about", "bout": "about",
    "rly": "really", "v": "very", "w": "with", "wiv": "with", "wit": "with", "av": "have", "ive": "i have",
    "im": "i am", "youre": "you are", "theyre": "they are",
    "thats": "that is", "whats": "what is", "wheres": "where is", "theres": "there is", "lets": "let us",
    "dd": "direct debit", "dob": "date of birth", "nxt": "next", "nr": "near", "opp": "opposite",
    "ok": "okay", "k": "okay", "gonna": "going to", "wanna": "want to", "gotta": "got to",
    "hiya": "hello", "hi": "hello", "hey": "hello", "mum": "mother", "mom": "mother", "nan": "grandmother",
    "grandad": "grandfather", "dad": "father", "bf": "boyfriend", "gf": "girlfriend",
    "hse": "house", "bn": "bin", "bns": "bin", "binz": "bin", "bins": "bin", "bin's": "bin",
    "rubish": "rubbish", "rubbbish": "rubbish", "rubbis": "rubbish", "garbage": "rubbish", "trash": "rubbish",
    "colected": "collected", "collcted": "collected", "collectd": "collected", "colleted": "collected",
    "collecton": "collection", "colection": "collection", "collectoin": "collection",
    "emptyed": "emptied", "emtied": "emptied", "emptid": "emptied", "empited": "emptied",
    "recylcing": "recycling", "recyling": "recycling", "recycing": "recycling", "reycling": "recycling",
    "strret": "street", "streeet": "street", "steet": "street", "streetlight": "street light",
    "streetlights": "street light", "streetlamp": "street lamp", "lampost": "lamp post",
    "lamppost": "lamp post", "lampposts": "lamp post", "lamp-post": "lamp post",
    "pothole": "pot hole", "potholes": "pot hole", "pothol": "pot hole", "pothoel": "pot hole",
    "holes": "hole", "flytipping": "fly tipping", "flytipped": "fly tipped", "flytip": "fly tip",
    "councel": "council", "counsil": "council", "concil": "council", "councle": "council",
    "councill": "council", "tax's": "tax", "benifit": "benefit", "benifits": "benefit",
    "benefits": "benefit", "libary": "library", "liberry": "library", "libarary": "library",
    "neighbor": "neighbour", "neighbors": "neighbours", "nieghbour": "neighbour", "neighbour's": "neighbour",
    "nabour": "neighbour", "nextdoor": "next door", "skool": "school", "scool": "school",
    "applcation": "application", "aplication": "application", "permision": "permission",
    "plannin": "planning", "homless": "homeless",
    "barkin": "barking", "sparkin": "sparking", "leanin": "leaning", "dumpd": "dumped",
    "tipp": "tip", "matress": "mattress", "mattres": "mattress", "sofas": "sofa", "settee": "sofa",
    "couch": "sofa", "fridges": "fridge", "blu": "blue", "badge's": "badge",
    "certficate": "certificate", "cert": "certificate", "certs": "certificate",
    "in2": "into", "on2": "onto", "cud": "could", "wud": "would", "shud": "should", "dunno": "do not know",
    "nuthin": "nothing", "hav": "have", "jus": "just", "nothin": "nothing", "sumthin": "something", "somethin": "something", "ova": "over",
}
# Dropped g's in text-speak ("drivin", "sleepin"): common verbs only, as "-in" alone also ends
# ordinary words (bin, cabin, within, margin).
ABBREVIATIONS.update({f"{verb}in": f"{verb}ing" for verb in (
    "gett go do com tak giv mak say tell writ driv play sleep liv us carry try look wait stay leav hitt "
    "kick shout scream cry beat threaten sell deal walk talk think feel ask hav runn work pay mov keep "
    "tak nick steal lock starv freez bleed smok drink shak hurt cutt harm").split()})

_QUOTE_HEADER_RE = re.compile(
    r"^\s*(On .{4,300}wrote:?\s*$|-{2,}\s*(Original|Forwarded) Message\s*-{2,}.*$|From:\s.+$|"
    r"Sent from my \w+.*$|Get Outlook for .*$|_{5,}\s*$|De\s?:\s.+$|Le .{4,200}a écrit\s*:?\s*$)",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE_RE = re.compile(
    r"^\s*(--\s*|_{3,}|(?:kind|best|warm|many)?\s*regards,?|many thanks,?|thanks( again| in advance)?[,!.]?|"
    r"thank you[,!.]?|cheers,?|yours (?:sincerely|faithfully|truly),?|sincerely,?|best( wishes)?,?|"
    r"all the best,?|with thanks,?|ta,?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_DISCLAIMER_RE = re.compile(r"^\s*(this (e-?mail|message) (and any|is|may) .*|confidentiality notice.*)$",
                            re.IGNORECASE | re.MULTILINE)
_SENTENCE_RE = re.compile(r"(?<=[.!?\n])\s+|\s+(?:also|another thing|and also|oh and|while i am at it|ps)\b[,:]?\s*",
                          re.IGNORECASE)


def strip_email(text: str) -> str:
    """Drop quoted history, forwarded headers, disclaimers and the signature block.

    What is left is what the citizen just wrote: a reply to a hub email otherwise carries
    the hub's own wording (which would mislead the classifier) and the citizen's signature.
    """
    match = _QUOTE_HEADER_RE.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    text = "\n".join(lines)
    disclaimer = _DISCLAIMER_RE.search(text)
    if disclaimer and disclaimer.start() > 0:
        text = text[: disclaimer.start()]
    sig = _SIGNATURE_RE.search(text)
    # A sign-off near the end starts the signature; one early in a long email is just words.
    if sig and sig.start() > 0 and len(text) - sig.start() < 400:
        text = text[: sig.start()]
    return text.strip()


def normalise(text: str, channel: str | None = None) -> str:
    """Lower-case, plain-letter text with abbreviations expanded, for matching and models."""
    if channel == "email":
        text = strip_email(text)
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = text.lower()
    text = re.sub(r"(\w)'(\w)", r"\1\2", text)
    # Letters stretched for emphasis ("pleeeease", "sooo") are the same word.
    text = re.sub(r"([a-z])\1{2,}", r"\1\1", text)
    words = re.findall(r"[a-z0-9£]+", text)
    return " ".join(ABBREVIATIONS.get(w, w) for w in words)


def segments(text: str) -> list[str]:
    """The message split into sentences or clauses, for spotting a second topic."""
    parts = [p.strip() for p in _SENTENCE_RE.split(text or "") if p and p.strip()]
    return [p for p in parts if len(p.split()) >= 3]
