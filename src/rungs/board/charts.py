"""Line charts as inline SVG, drawn on the server: no chart library, no script, readable without colour
(every point carries its value in a <title>, the chart an aria label)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 26


@dataclass(frozen=True)
class Point:
    label: str  # the period, e.g. 2026-03
    value: float | None  # None: no data that period (the line breaks there)


def nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering lo..hi (steps of 1, 2 or 5 times a power of ten)."""
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    raw = (hi - lo) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    first = math.floor(lo / step) * step
    ticks, t = [], first
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    if ticks[-1] < hi:
        ticks.append(round(t, 10))
    return ticks


TICK_FONT_PX = 11  # svg.chart .tick in board.css


def label_width(text: str) -> float:
    """A generous estimate of a tick label's width in view-box units: digits and Latin letters about
    0.62 em, CJK characters a full em."""
    return sum(TICK_FONT_PX * (1.0 if ord(ch) > 0x2E80 else 0.62) for ch in text)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}".rstrip("0").rstrip(".")


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    invert: bool = False,
    css_class: str = "chart",
    width: int = WIDTH,
    height: int = HEIGHT,
) -> SafeString:
    """One series over periods. invert=True puts low values on top (ranks: 1 is best)."""
    # A NaN or infinite value stored before the reader refused them is drawn as no data, not a 500.
    points = [p if p.value is None or math.isfinite(p.value) else Point(p.label, None) for p in points]
    values = [p.value for p in points if p.value is not None]
    head = (
        f'<svg class="{escape(css_class)}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    if not values:
        middle = f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="empty">—</text>'
        return mark_safe(head + middle + "</svg>")
    ticks = nice_ticks(min(values), max(values))
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    n = len(points)

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        share = (v - lo) / (hi - lo) if hi > lo else 0.5
        return TOP + (share if invert else 1 - share) * plot_h

    parts = [head]
    for t in ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{_fmt(t)}</text>'
        )
    every = max(1, math.ceil(n / 8))  # at most about eight period labels
    for i, p in enumerate(points):
        if i % every == 0 or i == n - 1:
            # Centred under its point unless that puts part of it outside the view box, which the SVG
            # cuts off (the last month at the right edge): then it ends (or starts) at the point.
            half = label_width(p.label) / 2
            anchor = "end" if x(i) + half > width else "start" if x(i) - half < 0 else "middle"
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}">{escape(p.label)}</text>'
            )
    for run in _runs(points):
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
        parts.append(f'<polyline class="line" points="{coords}"/>')
    for i, p in enumerate(points):
        if p.value is not None:
            parts.append(
                f'<circle class="dot" cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="3">'
                f"<title>{escape(p.label)}: {_fmt(p.value)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _runs(points: Sequence[Point]) -> list[list[tuple[int, float]]]:
    """Stretches of consecutive points that have a value (a missing period breaks the line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, p in enumerate(points):
        if p.value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, p.value))
    return [r for r in runs if r]
