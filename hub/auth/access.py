"""Who may see what: roles, and the councils whose data a user may see.

Every view is marked either `public` or `staff_required(...)`; a test walks the URL map and
fails on any unmarked view, so a forgotten decorator cannot slip through. A user's council
scope (`Scope`) is the one place where case visibility is decided: the query layer applies it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])
ACCESS_ATTR = "_hub_access"


def public(view: F) -> F:
    """Mark a view as open to anyone (citizens, providers with their own checks)."""
    setattr(view, ACCESS_ATTR, "public")
    return view


def staff_required(*roles: str) -> Callable[[F], F]:
    """Signed-in staff only; with roles, only those roles (admins always pass)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if roles and current_user.role not in roles and current_user.role != "admin":
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ACCESS_ATTR, "staff:" + ",".join(roles))
        return wrapped  # type: ignore[return-value]

    return decorate


@dataclass(frozen=True)
class Scope:
    """The councils whose cases and figures a user may see. `all_councils` only for admins."""

    authorities: frozenset[str]
    all_councils: bool = False

    def allows(self, authority_code: str | None) -> bool:
        return self.all_councils or (authority_code is not None and authority_code in self.authorities)

    def require(self, authority_code: str | None) -> None:
        """404, not 403: another council's case must not even be confirmed to exist."""
        if not self.allows(authority_code):
            abort(404)

    def restrict(self, stmt: Any, column: Any) -> Any:
        """Apply the scope to a SELECT on a column holding an authority code."""
        if self.all_councils:
            return stmt
        return stmt.where(column.in_(sorted(self.authorities)))


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope(frozenset())
    return Scope(frozenset(user.authority_codes), all_councils=user.role == "admin")


def current_scope() -> Scope:
    return scope_for(current_user)
