"""Shared database plumbing: the declarative base, naming convention, session and timestamps.

Every constraint has a predictable name so that Alembic migrations are reviewable and
constraint errors can be turned into the hub's own errors by name.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC (never naive)."""
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores timezone-aware UTC datetimes and always returns them aware.

    SQLite has no timezone support, so without this a value would come back naive
    there and aware on PostgreSQL; comparing the two would raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets foreign keys and a busy timeout, as PostgreSQL would behave."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _app_ctx_id() -> int:
    import flask.globals

    return id(flask.globals.app_ctx._get_current_object()) if has_app_context() else 0


def init_app(app: Flask, url: str) -> None:
    engine = make_engine(url)
    app.extensions["hub.engine_pid"] = os.getpid()
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    app.extensions["hub.engine"] = engine
    app.extensions["hub.session"] = scoped_session(factory, scopefunc=_app_ctx_id)

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        app.extensions["hub.session"].remove()


def get_engine() -> Engine:
    return current_app.extensions["hub.engine"]


def after_fork() -> None:
    """In a forked process (RQ's work-horse), drop the parent's pooled connections.

    Sharing a PostgreSQL connection across a fork corrupts it for both processes;
    `close=False` leaves the parent's sockets alone and gives the child fresh ones.
    """
    ext = current_app.extensions
    if ext.get("hub.engine_pid") != os.getpid():
        ext["hub.engine"].dispose(close=False)
        ext["hub.engine_pid"] = os.getpid()


def get_session() -> Session:
    """The session of the current app context; queries flush, the request or job commits."""
    return current_app.extensions["hub.session"]()


class _SessionProxy:
    """`session.execute(...)` anywhere inside an app context, without importing the app."""

    def __getattr__(self, name: str) -> Any:
        return getattr(get_session(), name)


session: Session = _SessionProxy()  # type: ignore[assignment]
