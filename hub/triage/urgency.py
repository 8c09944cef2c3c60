"""Is a street report urgent even though it uses none of the configured urgent terms?

Citizens rarely use the partnership's words: "needed stitches", "cables hanging out", "the
road has caved in". The configured `urgent_terms` always count; this small binary model,
trained on the urgent reports in the training set against the other reports, catches the
paraphrases. It only applies to services that have urgent terms at all (the partnership
decides which services can be urgent), and it needs to be fairly sure: an urgent flag jumps
the council's queue.
"""
from __future__ import annotations

from typing import Any, Sequence

from sklearn.linear_model import LogisticRegression

from hub.triage.classify import Vectoriser, model_text

THRESHOLD = 0.5


class UrgencyModel:
    def __init__(self, vectoriser: Vectoriser, matrix: Any, flags: Sequence[bool]):
        self.vectoriser = vectoriser
        self.model = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear")
        self.model.fit(matrix, [bool(f) for f in flags])
        self._positive = list(self.model.classes_).index(True)

    def probability(self, normalised: str) -> float:
        return float(self.model.predict_proba(self.vectoriser.transform([normalised]))[0][self._positive])


class UrgencyCheck:
    def __init__(self, model: UrgencyModel, threshold: float = THRESHOLD):
        self.model = model
        self.threshold = threshold

    def __call__(self, text: str, channel: str | None = None) -> str | None:
        probability = self.model.probability(model_text(text, channel))
        if probability >= self.threshold:
            return f"The urgency model reads it as urgent ({probability:.2f}; flagged from {self.threshold:.2f})."
        return None
