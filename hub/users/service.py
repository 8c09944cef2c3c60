"""Creating, changing and checking staff accounts; every change leaves an audit row (hub.users.audit)."""
from __future__ import annotations

import logging
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from hub.users import queries
from hub.users.audit import COMMAND_LINE, ChangedBy, changes, history, record
from hub.users.models import ROLES, User

log = logging.getLogger(__name__)

MIN_PASSWORD = 12


class UserError(ValueError):
    pass


class EmailTaken(UserError):
    """The email already has an account (shown against the form's email field)."""

    def __init__(self) -> None:
        super().__init__("An account with this email already exists: edit that person instead")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


# A scrypt hash of a password nobody has, with the same cost as real ones: checked when there
# is no usable account, so "no such user" takes as long to answer as "wrong password".
DUMMY_HASH = ("scrypt:32768:8:1$4A7u2Q7sbLstiaJh$493875d9919964df3c4408fd2ba9c2b9ed6dd36655fcdaeda2d57081586e15e4"
              "2d9fa47d1dc0ff4980bd5917d4caf06c2010f2c7f892f5c35736945e02c1c096")


def verify_password(user: User | None, password: str) -> bool:
    """The password is right for this active account; as slow when there is no such account.

    Sign-in answers the same words either way; without the dummy check the response time
    alone would tell an attacker which emails are staff accounts.
    """
    if user is None or not user.active:
        check_password_hash(DUMMY_HASH, password)
        return False
    return check_password_hash(user.password_hash, password)


def _checked(email: str, password: str, role: str, authorities: list[str]) -> str:
    """The normalised email, once the new account's details are acceptable (else UserError)."""
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
    return email


def _state(user: User) -> dict[str, Any]:
    """What the audit log compares before and after a change (never the password or TOTP secret)."""
    return {"role": user.role, "councils": sorted(user.authority_codes), "active": user.active, "name": user.name}


def add_user(email: str, password: str, role: str, authorities: list[str], *, name: str = "") -> User:
    """Add a user, or update role, councils and password of an existing one (`hub users add`).

    Add-or-update suits an operator at the server's shell; the admin screens use create_user.
    The same password again keeps the stored hash, so re-running the demo seed records nothing.
    """
    email = _checked(email, password, role, authorities)
    user = queries.get_by_email(email)
    if user is None:
        return create_user(email, password, role, authorities, name=name, by=COMMAND_LINE)
    before = _state(user)
    password_changed = not check_password_hash(user.password_hash, password)
    if password_changed:
        user.password_hash = hash_password(password)
        log.warning("account updated from the command line", extra={"user": user.id, "password_reset": True})
    user.role, user.name = role, name or user.name
    queries.save(user)
    queries.set_memberships(user, authorities)
    detail = changes(before, _state(user)) | ({"password": "reset"} if password_changed else {})
    if detail:
        record(COMMAND_LINE, "update_user", user.id, detail)
    return user


def create_user(email: str, password: str, role: str, authorities: list[str], *, name: str = "",
                active: bool = True, by: ChangedBy) -> User:
    """A new account from the admin screen; an email that already has one is refused.

    Adding must never take over an existing account (its password, role and councils):
    that is what editing the person is for, and editing cannot set a password. Two admins
    adding the same email at the same moment both pass the check; the database's unique
    email decides, and the loser gets the same refusal instead of an error page.
    """
    email = _checked(email, password, role, authorities)
    if queries.get_by_email(email) is not None:
        log.warning("account creation refused", extra={"reason": "email already has an account", "by": by.user_id})
        raise EmailTaken()
    user = User(email=email, role=role, password_hash=hash_password(password), active=active,
                name=name.strip() or email.split("@")[0])
    try:
        queries.insert_new(user)
    except queries.EmailClaimed:
        log.warning("account creation refused", extra={"reason": "email taken by a concurrent creation",
                                                       "by": by.user_id})
        raise EmailTaken() from None
    queries.set_memberships(user, authorities)
    record(by, "create_user", user.id, {"email": email, **_state(user)})
    log.info("account created", extra={"user": user.id, "role": role, "by": by.user_id})
    return user


def update_user(user_id: int, *, role: str, authorities: list[str], active: bool, name: str,
                by: ChangedBy) -> User:
    """An admin changes someone's role, councils or access; deactivating signs them out."""
    user = queries.get(user_id)
    if user is None:
        raise UserError("no such user")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    unknown = set(authorities) - queries.known_authorities(authorities)
    if unknown:
        raise UserError(f"unknown authority: {', '.join(sorted(unknown))}")
    if not authorities:
        raise UserError("choose at least one council")
    before = _state(user)
    user.role, user.active, user.name = role, active, name.strip() or user.name
    queries.set_memberships(user, authorities)
    detail = changes(before, _state(user))
    if detail:  # saving the form unchanged changes nothing, and records nothing
        record(by, "update_user", user.id, detail)
        log.info("account updated", extra={"user": user.id, "fields": sorted(detail), "by": by.user_id})
    return user


def reset_totp(user_id: int, *, by: ChangedBy) -> User:
    """Forget a lost authenticator: the user sets up a new one at their next sign-in."""
    user = queries.get(user_id)
    if user is None:
        raise UserError("no such user")
    detail = {"had_second_factor": user.totp_secret is not None,
              "was_locked": user.locked_until is not None or user.failed_sign_ins > 0}
    user.totp_secret = None
    user.failed_sign_ins, user.locked_until = 0, None
    queries.save(user)
    record(by, "reset_totp", user.id, detail)
    log.warning("second factor reset by an admin", extra={"user": user.id, "by": by.user_id})
    return user


def set_policies(require_totp: set[str], *, by: ChangedBy) -> None:
    """Which councils make their staff use a second factor at sign-in (audited: it weakens or
    strengthens every account of those councils at once)."""
    before = sorted(code for code, on in queries.policies().items() if on)
    codes = [authority.code for authority in queries.authorities()]
    for code in codes:
        queries.set_policy(code, code in require_totp)
    detail = changes({"require_totp": before}, {"require_totp": sorted(set(require_totp) & set(codes))})
    if detail:
        record(by, "set_policy", None, detail)


def overview() -> dict[str, object]:
    return {"users": queries.all_users(), "authorities": queries.authorities(), "policies": queries.policies()}


def get_user(user_id: int) -> User | None:
    return queries.get(user_id)


def account_history(user_id: int) -> list[dict[str, Any]]:
    return history(user_id)
