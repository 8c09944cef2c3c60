"""Demo sign-ins and history (filled in by the demo data work)."""
from __future__ import annotations

from typing import Iterator


def seed(weeks: int = 12) -> Iterator[str]:
    yield "no demo data yet"
