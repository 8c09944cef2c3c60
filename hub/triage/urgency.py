"""Is a street report urgent even though it uses none of the configured urgent terms?

Citizens rarely use the partnership's words: "needed stitches", "cables hanging out", "the
road has caved in". The configured `urgent_terms` always count; this small binary model,
trained on the urgent reports in the training set against the other reports, catches the
paraphrases. It only applies to services that have urgent terms at all (the partnership
decides which services can be urgent), and it needs to be fairly sure: an urgent flag jumps
the council's queue.
"""
from __future__ import annotations

from hub.triage.classify import BinaryModel, model_text

THRESHOLD = 0.5


# The urgency head: a BinaryModel trained on urgent street reports (kept under this name).
UrgencyModel = BinaryModel


class UrgencyCheck:
    def __init__(self, model: UrgencyModel, threshold: float = THRESHOLD):
        self.model = model
        self.threshold = threshold

    def __call__(self, text: str, channel: str | None = None) -> str | None:
        probability = self.model.probability(model_text(text, channel))
        if probability >= self.threshold:
            return f"The urgency model reads it as urgent ({probability:.2f}; flagged from {self.threshold:.2f})."
        return None
