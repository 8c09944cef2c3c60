"""Canned replies per service: the answers advisers give most, kept short and editable here.

Councils review wording centrally; an adviser picks one and edits it before sending.
"""
from __future__ import annotations

GENERAL = {
    "acknowledge": "Thank you for contacting us. An adviser is looking at your request and will reply soon.",
    "more_info": "Thank you. To help with this we need a little more information: please reply with the "
                 "full address and any details you can add.",
}

BY_SERVICE: dict[str, dict[str, str]] = {
    "waste.missed_bin": {
        "missed_logged": "We have logged your missed collection. The crew will return within two working days.",
    },
    "waste.new_bin": {
        "bin_ordered": "We have ordered your replacement bin. It will be delivered within ten working days.",
    },
    "roads.pothole": {
        "inspection": "Thank you for reporting this. A highways inspector will assess it and make it safe "
                      "if needed.",
    },
    "environment.noise": {
        "diary": "We will send you noise diary sheets. Please record each occurrence for two weeks.",
    },
    "council_tax.account": {
        "account_updated": "We have updated your council tax account. A new bill will follow by post.",
    },
    "housing.homeless": {
        "call_back": "A housing options officer will phone you today. If you have nowhere safe to stay "
                     "tonight, call the out-of-hours number on our website.",
    },
}


def canned_replies(service_code: str | None) -> dict[str, str]:
    return {**GENERAL, **BY_SERVICE.get(service_code or "", {})}
