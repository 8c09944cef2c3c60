"""The people who contact us, with as little personal data as the service needs."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, TimestampMixin


class Citizen(TimestampMixin, Base):
    """A contact point, not a profile: a phone number and/or an email, a name if given.

    Phone numbers are stored in E.164 so that texts from the same phone always match.
    """

    __tablename__ = "citizen"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    sms_opted_out: Mapped[bool] = mapped_column(default=False)
