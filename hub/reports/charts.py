"""Chart geometry for server-rendered SVG (templates/reports/_charts.html draws it).

Charts are horizontal bars so that every label is plain, unrotated text; each chart has a
title and a text description for screen readers, and the same figures sit in a table
beside it. Colours are paired with text labels, never the only carrier of meaning.
"""
from __future__ import annotations

from typing import Any, Sequence

WIDTH = 640
LABEL_W = 190
BAR_H = 22
GAP = 8
# Every colour stands out 3:1 or more from the white page (WCAG 1.4.11), and stacked segments
# are parted by a white line, so each keeps that contrast against its neighbour's edge too.
# (GOV.UK's orange, #f47738, is only 2.8:1 on white: face to face takes a darker orange.)
PALETTE = {"web": "#1d70b8", "sms": "#00703c", "email": "#4c2c92", "api": "#28a197",
           "phone": "#d4351c", "face_to_face": "#b35a00"}


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.1f}%" if percent else f"{value:,.0f}"


def bars(title: str, items: Sequence[tuple[str, float]], *, percent: bool = False) -> dict[str, Any]:
    """One bar per (label, value); percentages are scaled to 100%, counts to the largest value."""
    top = 1.0 if percent else max((v for _, v in items), default=0) or 1
    span = WIDTH - LABEL_W - 70
    rows = []
    for i, (label, value) in enumerate(items):
        width = round(span * (value / top), 1)
        rows.append({"label": label, "y": i * (BAR_H + GAP), "width": width, "text": _fmt(value, percent),
                     "text_x": LABEL_W + width + 6})
    desc = "; ".join(f"{r['label']}: {r['text']}" for r in rows) or "No contacts in this period."
    return {"title": title, "desc": desc, "rows": rows, "width": WIDTH, "label_w": LABEL_W, "bar_h": BAR_H,
            "height": max(len(rows), 1) * (BAR_H + GAP)}


def stacked(title: str, rows: Sequence[dict[str, Any]], totals: dict[str, int],
            series: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """One bar per period, split by channel; `rows` (label, channel, contacts) and `totals` come from SQL."""
    labels = list(totals)
    values: dict[str, dict[str, int]] = {label: {} for label in labels}
    for row in rows:
        values[row["label"]][row["channel"]] = row["contacts"]
    top = max(totals.values(), default=0) or 1
    span = WIDTH - LABEL_W - 70
    bars_out = []
    for i, label in enumerate(labels):
        x, segments = float(LABEL_W), []
        for key, name in series:
            count = values[label].get(key, 0)
            if count:
                width = round(span * count / top, 1)
                segments.append({"x": x, "width": width, "colour": PALETTE.get(key, "#505a5f"),
                                 "title": f"{name}: {count:,}"})
                x += width
        bars_out.append({"label": label, "y": i * (BAR_H + GAP), "segments": segments,
                         "text": f"{totals[label]:,}", "text_x": x + 6})
    desc = "; ".join(f"{label}: " + ", ".join(f"{name} {values[label].get(key, 0):,}" for key, name in series)
                     for label in labels) or "No contacts in this period."
    return {"title": title, "desc": desc, "bars": bars_out, "width": WIDTH, "label_w": LABEL_W, "bar_h": BAR_H,
            "height": max(len(labels), 1) * (BAR_H + GAP) + 30,
            "legend": [{"name": name, "colour": PALETTE.get(key, "#505a5f"), "x": LABEL_W + i * 75}
                       for i, (key, name) in enumerate(series)]}
