"""Creating and checking staff accounts."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from hub.users import queries
from hub.users.models import ROLES, User

MIN_PASSWORD = 12


class UserError(ValueError):
    pass


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def add_user(email: str, password: str, role: str, authorities: list[str], *, name: str = "") -> User:
    """Add a user, or update role, councils and password of an existing one."""
    email = email.strip().lower()
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters")
    unknown = set(authorities) - queries.known_authorities(authorities)
    if unknown:
        raise UserError(f"unknown authority: {', '.join(sorted(unknown))} (load the partnership first?)")
    user = queries.get_by_email(email) or User(email=email, role=role, password_hash="")
    user.role, user.password_hash = role, hash_password(password)
    user.name = name or user.name or email.split("@")[0]
    queries.save(user)
    queries.set_memberships(user, authorities)
    return user
