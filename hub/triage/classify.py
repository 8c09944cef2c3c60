"""Which service a message is about: a small trained text classifier.

TF-IDF over word 1-2grams (what people ask for) and character 2-5grams inside words (what
survives typos and text-speak: "pothol", "colected") feeding a logistic regression, whose
class probabilities are the confidence the pipeline compares with its threshold. It trains
on a few hundred short messages in well under a second, so it is built when the app first
needs it (or loaded from `hub triage-model build`'s file) and never downloaded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
import numpy as np
from sklearn.svm import LinearSVC
from sklearn.pipeline import FeatureUnion

from hub.triage.text import normalise, segments, strip_email


@dataclass(frozen=True)
class Prediction:
    service: str | None
    confidence: float
    ranked: tuple[tuple[str, float], ...]
    # A second topic found in one part of the message: (service, confidence, the words).
    also: tuple[str, float, str] | None = None


# Anything shaped like a UK postcode, however it was typed ("wr143ab", "WR14  3AB").
_POSTCODE = re.compile(r"(?<![a-z0-9])[a-z]{1,2}[0-9][a-z0-9]?\s{0,2}[0-9][a-z]{2}(?![a-z0-9])", re.IGNORECASE)


class Classifier(Protocol):
    def predict(self, text: str, channel: str | None = None) -> Prediction: ...


def model_text(text: str, channel: str | None = None) -> str:
    """What the models see: the citizen's own words, postcodes removed, normalised.

    Postcodes are removed because they say where, not what: a model that learnt "WR14"
    means potholes would be learning the training set, not the citizens.
    """
    if channel == "email" or re.search(r"^\s*(>|On .{4,300}wrote:?\s*$)", text, re.MULTILINE):
        text = strip_email(text)
    return normalise(_POSTCODE.sub(" ", text))


def features() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


class ServiceClassifier:
    """Service codes from free text, with a softmax of the margins as confidence."""

    def __init__(self, vectoriser: FeatureUnion, matrix: Any, labels: Sequence[str],
                 weights: Sequence[float] | None = None):
        self.vectoriser = vectoriser
        self.model = LinearSVC(C=C).fit(matrix, list(labels), sample_weight=weights)
        self.classes: list[str] = list(self.model.classes_)

    @classmethod
    def from_texts(cls, texts: Sequence[str], labels: Sequence[str],
                   weights: Sequence[float] | None = None) -> "ServiceClassifier":
        vectoriser = features()
        return cls(vectoriser, vectoriser.fit_transform(list(texts)), labels, weights)

    def _ranked(self, normalised: str) -> tuple[tuple[str, float], ...]:
        scores = self.model.decision_function(self.vectoriser.transform([normalised]))[0] * TEMPERATURE
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        order = sorted(range(len(probs)), key=lambda i: -probs[i])
        return tuple((self.classes[i], float(probs[i])) for i in order)

    def predict(self, text: str, channel: str | None = None) -> Prediction:
        norm = model_text(text, channel)
        if not norm.strip():
            return Prediction(None, 0.0, ())
        ranked = self._ranked(norm)
        best, confidence = ranked[0]
        return Prediction(best, confidence, ranked[:5], self._second_topic(text, channel, best))

    def _second_topic(self, text: str, channel: str | None, main: str) -> tuple[str, float, str] | None:
        """A clause that is clearly about another service ("...also the street light is out").

        The whole message decides the main request; a different service that one clause
        predicts confidently is reported so the adviser or citizen can deal with it too.
        """
        body = strip_email(text) if channel == "email" else text
        parts = segments(body)
        if len(parts) < 2:
            return None
        best: tuple[str, float, str] | None = None
        for part in parts:
            norm = model_text(part)
            if not norm:
                continue
            service, confidence = self._ranked(norm)[0]
            if service != main and confidence >= SECOND_TOPIC_CONFIDENCE and (best is None or confidence > best[1]):
                best = (service, confidence, part.strip()[:120])
        return best


# LinearSVC trains in a tenth of the time of a logistic regression here; its margins become
# probabilities by a softmax at this temperature (chosen by cross-validation on the training set).
C = 0.5
TEMPERATURE = 4.0
# A clause must be this clear about another service before it counts as a second topic.
SECOND_TOPIC_CONFIDENCE = 0.55
