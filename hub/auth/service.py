"""Signing staff in and out: passwords, lockout, rate limits, the second factor, idle expiry.

Failed attempts are limited twice over: per account (in the database, so every process and
server sees the lock) and per client address (also in the database, so all web processes
share it: a cheap brake on one machine spraying many accounts; the account lock is the real
protection). Both answer 429 with the same wording, so an attacker learns nothing about
which accounts exist.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

import pyotp
from flask import session
from flask_login import login_user, logout_user

from hub.db import utcnow
from hub.users import queries
from hub.users.models import User
from hub.users.service import verify_password

log = logging.getLogger(__name__)

MAX_FAILURES = 5  # per account, then locked for LOCK_FOR
LOCK_FOR = dt.timedelta(minutes=15)
IP_MAX_FAILURES = 20  # per client address within IP_WINDOW
IP_WINDOW = dt.timedelta(minutes=15)
PENDING_FOR = 5 * 60  # seconds between a right password and the one-time code
ISSUER = "Contact hub"
TOO_MANY = "Too many failed sign-in attempts. Wait 15 minutes and try again."
WRONG = "The email address or password is not right"


class SignInRefused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class Outcome:
    """A right password: signed in, or a one-time code is needed ("code") or must be set up ("enrol")."""

    user: User
    next_step: str  # "done", "code", "enrol"


# The per-address brake is kept in the database (`sign_in_failure`), not in memory: production
# runs several web processes, and a brake each kept alone would let an address try that many
# times per process. The database is there in every set-up, the embedded SQLite one included,
# where Redis is not. Checking is one counting query on the `(ip, at)` index; a failure is
# written (and expired rows pruned) on its own connection, since the failed request rolls back.
def _address_blocked(ip: str) -> bool:
    return queries.address_failures(ip, since=utcnow() - IP_WINDOW, cap=IP_MAX_FAILURES) >= IP_MAX_FAILURES


def _address_failed(ip: str) -> None:
    queries.record_address_failure(ip, forget_before=utcnow() - IP_WINDOW)


def _locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


def _fail(user: User | None, ip: str, reason: str) -> SignInRefused:
    _address_failed(ip)
    if user is not None:
        queries.record_failed_sign_in(user.id, lock_after=MAX_FAILURES, lock_for=LOCK_FOR)
    log.info("sign-in refused", extra={"reason": reason, "ip": ip, "user": user.id if user else None})
    return SignInRefused(WRONG if reason != "bad code" else "The code is not right", 400)


def needs_second_factor(user: User) -> bool:
    return user.totp_secret is not None or queries.totp_required_for(user.authority_codes)


def check_password(email: str, password: str, ip: str) -> Outcome:
    """Check the password, the lock and the rate limits; raise SignInRefused (400 or 429)."""
    if _address_blocked(ip):
        log.warning("sign-in refused", extra={"reason": "address rate limited", "ip": ip})
        raise SignInRefused(TOO_MANY, 429)
    user = queries.get_by_email(email.strip())
    if user is not None and _locked(user):
        _address_failed(ip)
        log.warning("sign-in refused", extra={"reason": "account locked", "user": user.id, "ip": ip})
        raise SignInRefused(TOO_MANY, 429)
    # verify_password first: it takes as long for an unknown or inactive account.
    if not verify_password(user, password) or user is None:
        raise _fail(user, ip, "bad credentials or inactive")
    if needs_second_factor(user):
        session["hub.pending"] = {"user": user.id, "at": time.time()}
        return Outcome(user, "code" if user.totp_secret else "enrol")
    _complete(user)
    return Outcome(user, "done")


def pending_user() -> User | None:
    """The user who gave the right password moments ago and now owes a one-time code."""
    pending = session.get("hub.pending")
    if not pending or time.time() - pending.get("at", 0) > PENDING_FOR:
        return None
    user = queries.get(int(pending["user"]))
    return user if user is not None and user.active and not _locked(user) else None


def enrolment_secret() -> str:
    """A new secret for the pending user's authenticator app, kept in the session until confirmed."""
    secret = session.get("hub.pending_secret") or pyotp.random_base32()
    session["hub.pending_secret"] = secret
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def check_code(code: str, ip: str) -> User:
    """Finish a two-step sign-in with the one-time code (enrolling the secret if new)."""
    if _address_blocked(ip):
        raise SignInRefused(TOO_MANY, 429)
    user = pending_user()
    if user is None:
        raise SignInRefused("Your sign-in has expired. Sign in again.", 400)
    secret = user.totp_secret or session.get("hub.pending_secret")
    if not secret or not pyotp.TOTP(secret).verify(code.replace(" ", ""), valid_window=1):
        raise _fail(user, ip, "bad code")
    if user.totp_secret is None:
        user.totp_secret = secret
        log.info("second factor set up", extra={"user": user.id})
    _complete(user)
    return user


def _complete(user: User) -> None:
    session.pop("hub.pending", None)
    session.pop("hub.pending_secret", None)
    user.failed_sign_ins, user.locked_until = 0, None
    user.last_sign_in_at = utcnow()
    # Not a "permanent" session: Flask-Login's strong protection (a session moved to another
    # address or browser is dropped) only applies to browser-session cookies; the lifetime
    # is enforced here instead (expire_session).
    session.permanent = False
    login_user(user)
    session["hub.seen"] = session["hub.since"] = time.time()


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right and the account active (no limits; for scripts)."""
    user = queries.get_by_email(email.strip())
    return user if verify_password(user, password) else None


def expire_session(idle_for: dt.timedelta, lifetime: dt.timedelta) -> bool:
    """Sign out a session left idle (a shared contact-centre desk) or older than a working day."""
    seen, since = session.get("hub.seen"), session.get("hub.since")
    now = time.time()
    if (seen is not None and now - float(seen) > idle_for.total_seconds()) or \
            (since is not None and now - float(since) > lifetime.total_seconds()):
        sign_out()
        return True
    session["hub.seen"] = now
    return False


def sign_out() -> None:
    logout_user()
    for key in ("hub.seen", "hub.since", "hub.pending", "hub.pending_secret"):
        session.pop(key, None)


def load_user(user_id: str) -> User | None:
    return queries.get(int(user_id)) if user_id.isdigit() else None
