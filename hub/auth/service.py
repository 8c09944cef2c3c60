"""Signing staff in and out."""
from __future__ import annotations

import logging

from flask_login import login_user, logout_user

from hub.db import utcnow
from hub.users import queries
from hub.users.models import User
from hub.users.service import verify_password

log = logging.getLogger(__name__)


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right and the account active; None otherwise.

    The same answer for an unknown email and a wrong password, so sign-in reveals nothing.
    """
    user = queries.get_by_email(email.strip())
    if user is None or not user.active or not verify_password(user, password):
        log.info("sign-in refused", extra={"reason": "bad credentials or inactive"})
        return None
    user.last_sign_in_at = utcnow()
    return user


def sign_in(user: User) -> None:
    login_user(user)


def sign_out() -> None:
    logout_user()


def load_user(user_id: str) -> User | None:
    return queries.get(int(user_id)) if user_id.isdigit() else None
