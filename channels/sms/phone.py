"""Phone numbers: one canonical form (E.164) so texts from one phone always meet one citizen.

UK numbers are typed in national form ("07700 900123"); Twilio sends E.164 ("+447700900123").
Ofcom's drama ranges are "possible" but not "valid" to `phonenumbers`, so possibility is
the test: the provider has already delivered from that number, which is proof enough.
"""
from __future__ import annotations

import phonenumbers

from hub.citizens.details import e164

DEFAULT_REGION = "GB"


def to_e164(raw: str | None) -> str | None:
    """The number in E.164, or None when it is not a phone number (a short code, a name)."""
    return e164(raw)


def mask(phone: str | None) -> str:
    """For logs: the country code and the last three digits, never the whole number."""
    if not phone:
        return "-"
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) <= 4:
        return "*" * len(digits)
    try:
        country = str(phonenumbers.parse(phone, DEFAULT_REGION).country_code)
    except phonenumbers.NumberParseException:
        country = ""
    hidden = len(digits) - len(country) - 3
    return f"+{country}{'*' * max(hidden, 1)}{digits[-3:]}"
