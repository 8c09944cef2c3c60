"""Which case a reply belongs to, in order of how sure we can be.

1. In-Reply-To/References naming one of the hub's own sent Message-IDs (or one of the
   case's earlier inbound messages: a citizen following up their own email);
2. a case reference in the subject;
3. the case's private reply address (`contact+<token>@…`).

A Message-ID or a reference can be copied or guessed (they appear in forwarded mail and
on letters), so for those two the sender must also be the case's citizen. The reply
token is a secret only ever sent to the citizen, so it alone is enough: whoever holds the
acknowledgement can add to the case, like the person holding a tracking link. Anything
else starts a new case: a reply must never join someone else's case.
"""
from __future__ import annotations

from dataclasses import dataclass

from channels.email import queries
from channels.email.addresses import reply_token_in
from channels.email.parse import ParsedEmail
from hub import references
from hub.cases import queries as cases
from hub.cases.models import Case


@dataclass
class Thread:
    case: Case
    matched_by: str  # "message-id", "reference", "reply-address"
    from_citizen: bool = True


def _citizen_email(case: Case) -> str | None:
    """The address this case came from (its own, never the shared citizen record's: decision 0024)."""
    return (case.contact_email or "").lower() or None


def find_thread(parsed: ParsedEmail, *, require_sender: bool = True) -> Thread | None:
    """The existing case this mail continues, or None for a new contact."""
    def sender_ok(case: Case) -> bool:
        return not require_sender or _citizen_email(case) == parsed.sender

    for ref_id in parsed.references:
        # Our own mail, or the citizen following up their own earlier message.
        sent = queries.outbound_email(ref_id) or cases.find_message("email", "inbound", ref_id)
        if sent is not None:
            case = cases.get_case(sent.case_id)
            if case is not None and sender_ok(case):
                return Thread(case, "message-id")
    reference = references.find(parsed.subject)
    if reference:
        case = cases.get_case_by_reference(reference)
        if case is not None and sender_ok(case):
            return Thread(case, "reference")
    token = reply_token_in(parsed.recipients)
    if token:
        case = queries.case_by_reply_token(token)
        if case is not None:
            return Thread(case, "reply-address", from_citizen=_citizen_email(case) == parsed.sender)
    return None
