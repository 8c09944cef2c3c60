"""Reads and writes of the classifier's training examples (advisers' corrections)."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import inspect, select

from hub.cases.models import TrainingExample
from hub.db import session


def has_training_examples_table() -> bool:
    """Whether the table exists, read in the current transaction without disturbing it."""
    return inspect(session.connection()).has_table(TrainingExample.__tablename__)


def training_examples() -> Sequence[TrainingExample]:
    """Every stored example, oldest first, so a build from the same rows is the same model."""
    return session.scalars(select(TrainingExample).order_by(TrainingExample.id)).all()


def add_training_example(*, text: str, service_code: str, channel: str | None, case_id: int | None,
                         user_id: int | None, source: str = "adviser") -> TrainingExample:
    example = TrainingExample(text=text, service_code=service_code, channel=channel, case_id=case_id,
                              user_id=user_id, source=source)
    session.add(example)
    session.flush()
    return example
