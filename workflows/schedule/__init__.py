"""Household waste collection schedule: pure rules, no I/O.

This module turns the partnership's ``waste_collection`` settings into bin
dates and decides whether a missed-bin report can be accepted.  It reads no
YAML, touches no database and knows nothing about Flask: callers build a
:class:`WasteRules` and a :class:`Round` from configuration and pass plain
``date``/``time``/``datetime`` values.

All times are *naive local wall-clock* times (the partnership's timezone,
Europe/London).  Crews finish at a wall-clock time whatever the season, so
convert an aware instant with ``zoneinfo`` before calling; aware datetimes are
refused rather than silently misread.

The council rules implemented here (from the partnership configuration):

* Week letters alternate A, B, A, ... counting in whole weeks from the anchor
  Monday, which is week A.  This works in both directions, so dates before
  the anchor have letters too.  It is deliberately *not* ISO-week parity:
  2026 has 53 ISO weeks, and parity would break at the turn of the year.
* Each postcode sector has a round: a collection weekday and a cycle letter.
  In weeks whose letter matches the cycle the recycling bin is emptied, with
  garden waste (subscribers only) except in the garden "off" months
  (December, January, February); in the other weeks the general waste bin.
* When a bank holiday falls on or before the collection day in the same week
  (Monday to Friday), that week's collection happens one day later.
* A missed bin can be reported from the time crews finish on the actual
  collection day until the end of the configured number of working days
  after it (working days exclude weekends and bank holidays).
"""

from __future__ import annotations

from workflows.schedule.collections import (collection_in_week, last_collection_of, next_collection_of,
                                            next_collections)
from workflows.schedule.missed import check_missed_report, missed_report_window
from workflows.schedule.rules import (BIN_TYPES, GARDEN, GENERAL, NOT_COLLECTED_THAT_WEEK, OK, RECYCLING, TOO_EARLY,
                                      TOO_LATE, Collection, MissedCheck, Round, WasteRules)
from workflows.schedule.weeks import add_working_days, is_working_day, week_letter, week_start

__all__ = [
    "GENERAL",
    "RECYCLING",
    "GARDEN",
    "BIN_TYPES",
    "OK",
    "TOO_EARLY",
    "TOO_LATE",
    "NOT_COLLECTED_THAT_WEEK",
    "Round",
    "WasteRules",
    "Collection",
    "MissedCheck",
    "week_start",
    "week_letter",
    "collection_in_week",
    "next_collections",
    "next_collection_of",
    "last_collection_of",
    "missed_report_window",
    "check_missed_report",
    "add_working_days",
    "is_working_day",
]
