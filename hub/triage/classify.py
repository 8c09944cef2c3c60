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
from scipy import sparse
from sklearn.linear_model import LogisticRegression
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


def features(*, stop_words: list[str] | None = None, word_pattern: str = r"(?u)\b\w\w+\b",
             word_min_df: int = 1) -> FeatureUnion:
    """Words (1-2grams) and letter fragments inside words; the FAQ fit drops stop words."""
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=word_min_df,
                                  stop_words=stop_words, token_pattern=word_pattern)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


class Vectoriser:
    """The fitted features, remembering recent texts: the safeguarding, service and urgency
    heads all read the same message, so it is vectorised once, not three times."""

    def __init__(self, union: FeatureUnion):
        self.union = union
        self._recent: dict[str, Any] = {}

    def transform(self, texts: list[str]) -> Any:
        if len(self._recent) > 256:
            self._recent.clear()
        missing = [t for t in dict.fromkeys(texts) if t not in self._recent]
        if missing:
            self._recent.update(zip(missing, self.union.transform(missing)))
        return sparse.vstack([self._recent[t] for t in texts])

    def __getstate__(self) -> dict[str, Any]:
        return {"union": self.union, "_recent": {}}


class ServiceClassifier:
    """Service codes from free text, with a softmax of the margins as confidence."""

    def __init__(self, vectoriser: Vectoriser, matrix: Any, labels: Sequence[str],
                 weights: Sequence[float] | None = None):
        self.vectoriser = vectoriser
        self.model = LinearSVC(C=C).fit(matrix, list(labels), sample_weight=weights)
        self.classes: list[str] = list(self.model.classes_)

    @classmethod
    def from_texts(cls, texts: Sequence[str], labels: Sequence[str],
                   weights: Sequence[float] | None = None) -> "ServiceClassifier":
        union = features()
        return cls(Vectoriser(union), union.fit_transform(list(texts)), labels, weights)

    def _probabilities(self, texts: list[str]) -> np.ndarray:
        scores = self.model.decision_function(self.vectoriser.transform(texts)) * TEMPERATURE
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, text: str, channel: str | None = None) -> Prediction:
        """The main request, and a second topic when one part of the message clearly has one.

        Rules, in order: when clauses confidently name two or more services, the first one
        mentioned is the main request (citizens lead with why they wrote); when the whole
        message is unclear but one clause is clear (a rambling email), that clause decides;
        otherwise the whole message decides.
        """
        norm = model_text(text, channel)
        if not norm.strip():
            return Prediction(None, 0.0, ())
        body = strip_email(text) if channel == "email" else text
        parts = [p for p in (model_text(part) for part in segments(body)) if p] if len(norm) > 40 else []
        probs = self._probabilities([norm, *parts]) if len(parts) >= 2 else self._probabilities([norm])
        whole = probs[0]
        order = np.argsort(-whole)
        ranked = tuple((self.classes[i], float(whole[i])) for i in order[:5])
        best, confidence = ranked[0]
        clear: list[tuple[str, float, str]] = []
        for part, row in zip(parts, probs[1:]):
            i = int(np.argmax(row))
            if row[i] >= SECOND_TOPIC_CONFIDENCE and self.classes[i] not in [c[0] for c in clear]:
                clear.append((self.classes[i], float(row[i]), part[:120]))
        if len(clear) >= 2:
            main = clear[0]
            return Prediction(main[0], max(main[1], float(whole[self.classes.index(main[0])])), ranked,
                              next(c for c in clear if c[0] != main[0]))
        if len(clear) == 1 and clear[0][1] > confidence:
            return Prediction(clear[0][0], clear[0][1], ranked, None)
        if confidence < UNKNOWN_WORDS_CONFIDENCE and not self._known_words(norm):
            # Not one word the models have seen ("qwerty zxcvb"): letter fragments alone are
            # not evidence enough for a middling guess ("potholl!!" is still clear).
            return Prediction(None, confidence, ranked, None)
        also = next((c for c in clear if c[0] != best), None)
        return Prediction(best, confidence, ranked, also)

    def _known_words(self, norm: str) -> bool:
        """Any word-feature set in the message's (cached) vector: the union puts words first."""
        words = dict(self.vectoriser.union.transformer_list)["words"]
        return bool(self.vectoriser.transform([norm])[:, :len(words.vocabulary_)].nnz)


# LinearSVC trains in a tenth of the time of a logistic regression here; its margins become
# probabilities by a softmax at this temperature (chosen by cross-validation on the training set).
C = 0.5
TEMPERATURE = 4.0
# With no word the models know, a guess must be at least this confident to count.
UNKNOWN_WORDS_CONFIDENCE = 0.5
# A clause must be this clear about another service before it counts as a second topic.
SECOND_TOPIC_CONFIDENCE = 0.55


class BinaryModel:
    """A yes/no head on the service classifier's features (built once, shared).

    Used for "is this a safeguarding concern?" and "is this street report urgent?": the
    classes are balanced because the positives are rare, and the caller picks its threshold.
    """

    def __init__(self, vectoriser: Vectoriser, matrix: Any, flags: Sequence[bool]):
        self.vectoriser = vectoriser
        labels = [bool(f) for f in flags]
        # With no positives (or nothing else) there is nothing to learn: the head says "no"
        # (the other checks still run) rather than failing the whole build.
        self.model: LogisticRegression | None = None
        if len(set(labels)) == 2:
            # C 10: a sharper boundary (C 30) missed held-out concerns (docs/decisions/0029).
            self.model = LogisticRegression(C=10.0, class_weight="balanced", solver="liblinear").fit(matrix, labels)
            self._positive = list(self.model.classes_).index(True)

    def probability(self, normalised: str) -> float:
        if self.model is None:
            return 0.0
        return float(self.model.predict_proba(self.vectoriser.transform([normalised]))[0][self._positive])
