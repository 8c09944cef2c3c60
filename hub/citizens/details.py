"""Contact details given by other systems, checked before a citizen record is made from them.

Phones are stored in E.164 so a citizen's later texts find the same record; an address that
cannot receive email is refused at once rather than bouncing every reply later.
"""
from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_EMAIL = 254  # citizen.email
MAX_NAME = 200  # citizen.name


def e164(text: str | None) -> str | None:
    """A UK (or +international) number in E.164, or None when it cannot be a phone number.

    The one rule for every channel (SMS sender, portal, adviser, Open311), so a citizen's
    texts, forms and calls always meet the same record.
    """
    if not text or not text.strip() or len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text.strip(), "GB")
    except phonenumbers.NumberParseException:
        return None
    # "Possible" rather than "valid": Ofcom's drama ranges (07700 900xxx), used in demos and
    # tests, are not allocated, and a mistyped digit is caught by the length rules anyway.
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_address(text: str) -> str | None:
    """The normalised address, or None when it is not a syntactically valid email address."""
    if len(text) > MAX_EMAIL:
        return None
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None
    return checked.normalized if len(checked.normalized) <= MAX_EMAIL else None
