"""The SQL that differs between PostgreSQL and SQLite, written once per dialect here.

Reports bucket contacts by the partnership's *local* date (a contact at 00:30 on a summer
Monday in London belongs to that Monday, not to Sunday in UTC). PostgreSQL converts with
`timezone(zone, ts)`; SQLite has no time zones, so the UTC offsets in force over the
report's window are worked out in Python and applied with a CASE on the stored UTC value,
which gives the same answer as PostgreSQL for any window.
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Interval, and_, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from hub.db import UTCDateTime

PERIODS = ("week", "month")


def offset_changes(tz: ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, int]]:
    """UTC offsets (seconds) in force from `start` on, and each instant the offset changes before `end`."""
    def offset(at: dt.datetime) -> int:
        return int(at.astimezone(tz).utcoffset().total_seconds())  # type: ignore[union-attr]

    changes = [(start, offset(start))]
    day = start
    while day < end:
        nxt = min(day + dt.timedelta(days=1), end)
        if offset(nxt) != changes[-1][1]:
            hour = day
            while offset(hour) == changes[-1][1]:  # transitions fall on the hour in every zone we serve
                hour += dt.timedelta(hours=1)
            changes.append((hour, offset(hour)))
        day = nxt
    return changes


def _sqlite_local(column: Any, tz: ZoneInfo, start: dt.datetime, end: dt.datetime) -> ColumnElement[Any]:
    changes = offset_changes(tz, start, end)

    def modifier(seconds: int) -> str:
        return f"{seconds:+d} seconds"

    if len(changes) == 1:
        return func.datetime(column, modifier(changes[0][1]))
    whens = [(column < literal(at, UTCDateTime()), modifier(prev)) for (at, _), (_, prev)
             in zip(changes[1:], changes[:-1])]
    return func.datetime(column, case(*whens, else_=modifier(changes[-1][1])))


def period_start(dialect: str, column: Any, period: str, tz: ZoneInfo,
                 start: dt.datetime, end: dt.datetime) -> ColumnElement[str]:
    """The first local day ('YYYY-MM-DD') of the ISO week (Monday) or month holding `column`."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    if dialect == "postgresql":
        local = func.timezone(tz.key, column)
        return func.to_char(func.date_trunc(period, local), "YYYY-MM-DD")
    local = _sqlite_local(column, tz, start, end)
    if period == "week":
        # 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
        return func.date(local, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", local)


def seconds_between(dialect: str, later: Any, earlier: Any) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float)
    return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0)


def days_before(dialect: str, column: Any, days: int) -> ColumnElement[Any]:
    """`column` minus whole days, comparable with stored values (index-friendly on the other side)."""
    if dialect == "postgresql":
        return column - literal(dt.timedelta(days=days), Interval())
    # Stored SQLite values are 'YYYY-MM-DD HH:MM:SS.ffffff'; %f keeps the fraction, so ordering holds.
    return func.strftime("%Y-%m-%d %H:%M:%f", column, f"-{days} days")


def median(dialect: str, source: Any, groups: list[str]) -> Any:
    """SELECT groups..., median(value), n over rows of `source` (a subquery with a `value` column).

    PostgreSQL has percentile_cont; SQLite has no median, so the middle row (or the mean of the
    two middle rows) is picked with window functions: the same interpolated median.
    """
    value_col = source.c.value
    group_cols = [source.c[g] for g in groups]
    if dialect == "postgresql":
        med = func.percentile_cont(0.5).within_group(value_col)
        return select(*group_cols, med.label("median"), func.count(value_col).label("n")).group_by(*group_cols)
    ranked = select(
        *group_cols, value_col,
        func.row_number().over(partition_by=group_cols or None, order_by=value_col).label("rn"),
        func.count().over(partition_by=group_cols or None).label("cnt"),
    ).where(value_col.is_not(None)).subquery("ranked")
    rn, cnt = ranked.c.rn, ranked.c.cnt
    middle = and_(rn >= (cnt + 1) // 2, rn <= (cnt + 2) // 2)
    rgroups = [ranked.c[g] for g in groups]
    return (select(*rgroups, func.avg(ranked.c.value).label("median"), func.max(cnt).label("n"))
            .where(middle).group_by(*rgroups))
