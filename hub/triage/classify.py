"""Which service a message is about.

This is the first, keyword-based classifier: it scores each service by the words of its
name and examples that appear in the message. A trained model replaces it (issue 3)
behind the same `Classifier` interface.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from hub.partnership.schema import PartnershipDoc
from hub.triage.text import normalise

_STOP = set("a an the my our your is are was were be been to of on in at for and or i we you it this that "
            "there here with by from do does how what when where why can could would should please need "
            "want get have has had not no me us they them he she his her its as about".split())


@dataclass(frozen=True)
class Prediction:
    service: str | None
    confidence: float
    ranked: tuple[tuple[str, float], ...]


class Classifier(Protocol):
    def predict(self, text: str) -> Prediction: ...


def _stem(word: str) -> str:
    return re.sub(r"(ing|ed|es|s)$", "", word) if len(word) > 4 else word


class KeywordClassifier:
    def __init__(self, doc: PartnershipDoc):
        self.vocab: dict[str, set[str]] = {}
        for svc in doc.services:
            words = set()
            for phrase in [svc.name, *svc.examples, svc.code.replace(".", " ").replace("_", " ")]:
                words |= {_stem(w) for w in normalise(phrase).split() if w not in _STOP}
            self.vocab[svc.code] = words

    def predict(self, text: str) -> Prediction:
        words = {_stem(w) for w in normalise(text).split() if w not in _STOP}
        scores = {code: len(words & vocab) / (1 + 0.05 * len(vocab)) for code, vocab in self.vocab.items()}
        ranked = tuple(sorted(scores.items(), key=lambda kv: -kv[1]))
        best, score = ranked[0]
        total = sum(s for _, s in ranked) or 1.0
        if score == 0:
            return Prediction(None, 0.0, ranked)
        return Prediction(best, round(score / total, 3), ranked)
