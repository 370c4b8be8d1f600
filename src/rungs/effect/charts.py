"""Before/after lines of both groups as inline SVG drawn on the server (no chart library, no script):
the covered group solid, the others dashed, a vertical line where the plan took force; every point
carries its value in a <title>, the chart an aria label, so it reads without colour too."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from rungs.board.charts import nice_ticks
from rungs.core.effect import MonthMeans

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 30, 30, 28
COLOURS = {"covered": "#1f5fa8", "uncovered": "#7a5200"}


def _fmt(v: float, fraction: bool) -> str:
    return f"{v * 100:.1f}%" if fraction else f"{v:.2f}".rstrip("0").rstrip(".")


def before_after_chart(
    months: Sequence[MonthMeans],
    since: str,
    *,
    title: str,
    fraction: bool,
    covered_label: str,
    uncovered_label: str,
    start_label: str,
) -> SafeString:
    """Monthly means of the covered group and the others, with the start month marked."""
    head = (
        f'<svg class="effect-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    )
    values = [v for mm in months for v in (mm.covered, mm.uncovered) if v is not None and math.isfinite(v)]
    if not values:
        return mark_safe(head + f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">—</text></svg>')
    ticks = nice_ticks(min(values), max(values))
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(months)

    def x(i: float) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + (1 - ((v - lo) / (hi - lo) if hi > lo else 0.5)) * plot_h

    parts = [head]
    for t in ticks:
        parts.append(
            f'<line class="grid" stroke="#d0d5dd" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{_fmt(t, fraction)}</text>'
        )
    every = max(1, math.ceil(n / 8))
    for i, mm in enumerate(months):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text class="tick" x="{x(i):.1f}" y="{HEIGHT - 8}" text-anchor="middle">{escape(mm.month)}</text>'
            )
    first_after = next((i for i, mm in enumerate(months) if mm.month >= since), None)
    if first_after is not None:
        at = x(first_after - 0.5) if first_after > 0 else x(0)
        parts.append(
            f'<line class="start" stroke="#b42318" stroke-dasharray="2 3" x1="{at:.1f}" x2="{at:.1f}" '
            f'y1="{TOP}" y2="{TOP + plot_h}"/><text class="start" x="{at + 4:.1f}" y="{TOP + 12}">'
            f"{escape(start_label)}</text>"
        )
    for key, label, dash in (
        ("covered", covered_label, ""),
        ("uncovered", uncovered_label, ' stroke-dasharray="6 4"'),
    ):
        colour = COLOURS[key]
        points = [(i, getattr(mm, key)) for i, mm in enumerate(months)]
        for run in _runs(points):
            coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            parts.append(
                f'<polyline class="line {key}" fill="none" stroke="{colour}" stroke-width="2"{dash} points="{coords}"/>'
            )
        for i, v in points:
            if v is not None and math.isfinite(v):
                parts.append(
                    f'<circle class="dot {key}" fill="{colour}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3">'
                    f"<title>{escape(label)} {escape(months[i].month)}: {_fmt(v, fraction)}</title></circle>"
                )
    # the legend, top left
    lx = LEFT
    for key, label, dash in (
        ("covered", covered_label, ""),
        ("uncovered", uncovered_label, ' stroke-dasharray="6 4"'),
    ):
        parts.append(
            f'<line class="legend {key}" stroke="{COLOURS[key]}" stroke-width="2"{dash} x1="{lx}" x2="{lx + 24}" '
            f'y1="12" y2="12"/><text class="legend" x="{lx + 30}" y="16">{escape(label)}</text>'
        )
        lx += 40 + 14 * len(label)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _runs(points: Sequence[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """Stretches of consecutive months with a value (a month without data breaks the line)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, v in points:
        if v is None or not math.isfinite(v):
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, v))
    return [r for r in runs if r]
