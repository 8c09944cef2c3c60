"""What an Open311 reader may learn about where a problem is, and nothing about who reported it.

A street report's location is the citizen's own words and is often their home ("outside my
house at 12 Elm Road"). Published requests therefore carry only a street name, without house
numbers or anything else the citizen wrote, and the postcode sector ("WR14 3", a few thousand
addresses) instead of the full postcode (about fifteen).
"""
from __future__ import annotations

import re

from hub.geo import postcodes

# The last word of a street name, with its abbreviations written out.
STREET_TYPES = {
    "street": "Street", "st": "Street", "road": "Road", "rd": "Road", "lane": "Lane", "ln": "Lane",
    "avenue": "Avenue", "ave": "Avenue", "close": "Close", "drive": "Drive", "dr": "Drive", "way": "Way",
    "place": "Place", "crescent": "Crescent", "terrace": "Terrace", "grove": "Grove", "gardens": "Gardens",
    "walk": "Walk", "court": "Court", "square": "Square", "hill": "Hill", "row": "Row", "mews": "Mews",
    "rise": "Rise", "green": "Green", "parade": "Parade", "meadow": "Meadow", "view": "View",
    "croft": "Croft", "bypass": "Bypass",
}
# Words that cannot be part of a street's name; reading backwards from "Road", they end it.
_NOT_A_NAME = {"my", "our", "his", "her", "their", "the", "a", "an", "on", "in", "at", "of", "by", "to", "near",
               "outside", "opposite", "behind", "house", "home", "flat", "apartment", "apt", "unit", "no",
               "number", "garden", "drive", "and", "from", "off", "corner", "junction", "end", "top", "bottom",
               "pothole", "light", "lamp", "post", "rubbish", "dumped", "tipped", "road", "street", "lane"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*\.?|\S+")


def public_street(location_text: str | None) -> str | None:
    """The street named in a location ("12 Elm Rd, outside my house" -> "Elm Road"), or None.

    Up to three name words before a street type, stopping at a number or a word that is not a
    name, so house numbers, flat numbers and the citizen's own description are never published.
    """
    for segment in re.split(r"[,;\n]+", location_text or ""):
        words = _WORD.findall(segment)
        for i in range(len(words) - 1, 0, -1):
            kind = STREET_TYPES.get(words[i].lower().rstrip("."))
            if kind is None:
                continue
            name: list[str] = []
            j = i - 1
            while j >= 0 and len(name) < 3:
                word = words[j].rstrip(".")
                if not re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", word) or word.lower() in _NOT_A_NAME:
                    break
                name.insert(0, word if word.isupper() and len(word) > 1 else word.capitalize())
                j -= 1
            if name:
                return " ".join(name + [kind])
    return None


def public_area(postcode: str | None) -> str | None:
    """The postcode sector ("WR14 3AB" -> "WR14 3"): the area, never the house."""
    if not postcode or not postcodes.is_valid(postcode):
        return None
    return postcodes.sector(postcode)
