"""Contact details given by other systems, checked before a citizen record is made from them.

Phones are stored in E.164 so a citizen's later texts find the same record; an address that
cannot receive email is refused at once rather than bouncing every reply later.
"""
from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_EMAIL = 254  # citizen.email
MAX_NAME = 200  # citizen.name


def e164(text: str) -> str | None:
    """A UK (or +international) number in E.164, or None when it cannot be a phone number."""
    if len(text) > 40:
        return None
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return None
    # "Possible" rather than "valid", as on the portal: Ofcom's drama ranges are not allocated.
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
