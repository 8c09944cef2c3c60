"""Citizens' choices about how we contact them.

An opt-out (a citizen texting STOP) is kept on the citizen, not on a case: it holds for
every case and every council until they text START. No text is sent while it holds,
which is also what the regulator and the carriers require.
"""
from __future__ import annotations

import logging

from hub.citizens import queries

log = logging.getLogger(__name__)


def set_sms_opt_out(phone: str, opted_out: bool) -> bool:
    """Record STOP (True) or START (False) for this E.164 number; returns whether it changed."""
    citizen = queries.find_by_phone(phone)
    if citizen is None:
        if not opted_out:
            return False
        citizen = queries.find_or_create(name=None, email=None, phone=phone)
        assert citizen is not None
    changed = citizen.sms_opted_out != opted_out
    citizen.sms_opted_out = opted_out
    log.info("sms opt-out recorded" if opted_out else "sms opt-in recorded",
             extra={"citizen": citizen.id, "changed": changed})
    return changed


def sms_opted_out(phone: str | None) -> bool:
    """Whether texts to this number must not be sent."""
    if not phone:
        return False
    citizen = queries.find_by_phone(phone)
    return bool(citizen and citizen.sms_opted_out)
