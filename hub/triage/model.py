"""Building the triage models from what the hub knows, and keeping a built copy.

Training data, in order: each service's name and `examples` from the partnership file, the
knowledge-base questions, the hub's own training set (`hub/triage/data/train.jsonl`), and the
advisers' corrections (`training_example` rows). The held-out set in `tests/data/` is never
read here. Building takes well under a second; `hub triage-model build` writes the result to
`instance/triage-model.joblib`, which is used while its fingerprint (a hash of all training
data and the model version) still matches, so a new correction or partnership file makes
the app rebuild rather than use a stale model.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import joblib
import sklearn

from hub.partnership.schema import PartnershipDoc
from hub.triage.classify import ServiceClassifier, Vectoriser, features, model_text
from hub.triage.safeguarding import SafeguardingModel
from hub.triage.text import ABBREVIATIONS
from hub.triage.urgency import UrgencyModel

log = logging.getLogger(__name__)

MODEL_VERSION = "3"  # bump when features, text normalisation or training settings change
TRAIN_FILE = Path(__file__).resolve().parent / "data" / "train.jsonl"
MODEL_FILENAME = "triage-model.joblib"
# Partnership examples are few and written to be typical: they count a little more.
EXAMPLE_WEIGHT = 2.0
# An adviser's correction is a real message the model got wrong: it counts more still.
CORRECTION_WEIGHT = 3.0


# Models already built in this process, by fingerprint: every app (and test) shares them.
_BUILT: dict[str, "Models"] = {}


@dataclass(frozen=True)
class TrainingRow:
    text: str
    service: str
    channel: str | None = None
    safeguarding: bool = False
    weight: float = 1.0
    urgent: bool = False  # an urgent report (not a safeguarding concern)


@dataclass
class Models:
    fingerprint: str
    classifier: ServiceClassifier
    safeguarding: SafeguardingModel
    urgency: UrgencyModel
    rows: int


def training_rows(doc: PartnershipDoc, corrections: Iterable[TrainingRow] = (),
                  train: Iterable[dict[str, Any]] | None = None) -> list[TrainingRow]:
    """Every training row; `train` replaces the training set (cross-validation passes its folds)."""
    known = {s.code for s in doc.services}
    rows: list[TrainingRow] = []
    for svc in doc.services:
        for text in [svc.name, *svc.examples]:
            rows.append(TrainingRow(text, svc.code, None, svc.code == "social_care.safeguarding", EXAMPLE_WEIGHT))
    for article in doc.knowledge_base:
        rows.append(TrainingRow(article.question, article.service, None, False, EXAMPLE_WEIGHT))
    for term in doc.safeguarding.terms:
        rows.append(TrainingRow(term, "social_care.safeguarding", None, True, EXAMPLE_WEIGHT))
    rows.extend(labelled_rows(read_jsonl(TRAIN_FILE) if train is None else train))
    rows.extend(corrections)
    # A service removed from the partnership file can no longer be predicted.
    return [row for row in rows if row.service in known]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def labelled_rows(items: Iterable[dict[str, Any]]) -> list[TrainingRow]:
    """Training rows from labelled messages (the training set's format, as `evaluate` reads)."""
    rows = []
    for item in items:
        flagged = bool(item.get("safeguarding"))
        rows.append(TrainingRow(item["text"], item["service"], item.get("channel"), flagged,
                                urgent=item.get("disposition") == "urgent" and not flagged))
    return rows


def fingerprint(rows: Sequence[TrainingRow]) -> str:
    # The text-speak table is data, edited like the training set, so it is hashed like it;
    # a change to code or settings bumps MODEL_VERSION.
    digest = hashlib.sha256(json.dumps([MODEL_VERSION, sklearn.__version__, ABBREVIATIONS], sort_keys=True).encode())
    for row in rows:
        digest.update(json.dumps([row.text, row.service, row.channel, row.safeguarding, row.weight,
                                  row.urgent]).encode())
    return digest.hexdigest()


def build(rows: Sequence[TrainingRow]) -> Models:
    started = time.perf_counter()
    texts = [model_text(row.text, row.channel) for row in rows]
    union = features()
    matrix = union.fit_transform(texts)
    vectoriser = Vectoriser(union)
    classifier = ServiceClassifier(vectoriser, matrix, [row.service for row in rows], [row.weight for row in rows])
    # A message labelled with a safeguarding concern counts as one, whatever else it is about.
    flags = [row.safeguarding or row.service == "social_care.safeguarding" for row in rows]
    # The pipeline consults urgency only for services that have urgent terms configured.
    urgency = UrgencyModel(vectoriser, matrix, [row.urgent for row in rows])
    models = Models(fingerprint(rows), classifier, SafeguardingModel(vectoriser, matrix, flags), urgency, len(rows))
    log.info("triage models built", extra={"rows": len(rows), "seconds": round(time.perf_counter() - started, 2)})
    return models


def save(models: Models, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILENAME
    tmp = path.with_suffix(".tmp")
    joblib.dump(models, tmp)
    tmp.replace(path)  # atomic: a worker never loads half a file
    return path


def load_or_build(rows: Sequence[TrainingRow], directory: Path | None) -> Models:
    """The saved models when they were built from exactly these rows, else a fresh build.

    The file lives in the hub's own `instance/` folder, written by `hub triage-model build`;
    it is trusted like the code (joblib files must never come from outside).
    """
    wanted = fingerprint(rows)
    if wanted in _BUILT:
        return _BUILT[wanted]
    models = load_saved(wanted, directory) or build(rows)
    if len(_BUILT) >= 4:  # a few partnerships or correction sets per process at most
        _BUILT.pop(next(iter(_BUILT)))
    _BUILT[wanted] = models
    return models


def load_saved(wanted: str, directory: Path | None) -> Models | None:
    """The models saved in `directory` if they were built from the rows with this fingerprint."""
    path = directory / MODEL_FILENAME if directory else None
    if path is not None and path.exists():
        try:
            models = joblib.load(path)
        except Exception as exc:  # a corrupt or incompatible file is rebuilt, never fatal
            log.warning("triage model file unreadable; rebuilding", extra={"path": str(path), "error": str(exc)})
        else:
            if isinstance(models, Models) and models.fingerprint == wanted:
                return models
            log.info("triage model file is stale; rebuilding", extra={"path": str(path)})
    return None
