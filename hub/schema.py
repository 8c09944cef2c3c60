"""Imports every feature's models so that `Base.metadata` is complete (Alembic, tests)."""
import importlib

from hub.adviser.models import AuditLog, CouncilPolicy  # noqa: F401
from hub.cases import events as _events  # noqa: F401  (the append-only guard)
from hub.cases import repeats as _repeats  # noqa: F401  (repeat contacts kept right on every flush)
from hub.cases.models import Case, CaseEvent, Message, TrainingExample  # noqa: F401
from hub.citizens.models import Citizen  # noqa: F401
from hub.db import Base
from hub.jobs.models import OutboxJob  # noqa: F401
from hub.partnership.models import Authority, ContactCost, Partnership, PostcodeSector, Service  # noqa: F401
from hub.users.models import Membership, SignInFailure, User  # noqa: F401

# Channels may keep tables of their own; imported by name so the core never depends on them.
for _name in ("channels.email.models",):
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if not (_exc.name and _name.startswith(_exc.name)):
            raise

metadata = Base.metadata
