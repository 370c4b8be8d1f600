"""Comparisons as column expressions. Grades and education compare by their order, not their spelling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from rungs.core.interchange.dataset import EDUCATION_LEVELS
from rungs.core.policy import model as m


def comparable(value: Any, kind: str, grades: dict[str, tuple[str, ...]]) -> Any:
    """The value as stored in actual columns: grade, choice and education words become their position.
    `grades` are the policy's scales (Policy.scales: grade scales and `choice:<attribute>` lists)."""
    if kind.startswith("grade:"):
        return float(grades[kind[6:]].index(value))
    if kind.startswith("choice:"):
        return float(grades[kind].index(value))
    if kind == "education":
        return float(EDUCATION_LEVELS.index(value))
    if kind == "number":
        return float(value)
    return value


def displayable(value: Any, kind: str, grades: dict[str, tuple[str, ...]]) -> Any:
    """The inverse of `comparable`, for people: 3.0 → 优秀; whole numbers without .0."""
    if value is None:
        return None
    if kind.startswith("grade:"):
        return grades[kind[6:]][int(value)]
    if kind.startswith("choice:"):
        return grades[kind][int(value)]
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind == "education":
        return EDUCATION_LEVELS[int(value)]
    if isinstance(value, float):
        return int(value) if value.is_integer() else round(value, 4)
    return value


def compare_expr(actual: pl.Expr, op: str, required: pl.Expr | list[Any]) -> pl.Expr:
    """actual <op> required; null actual gives null (callers turn it into a failure)."""
    if op == "in":
        return actual.is_in(required)
    assert isinstance(required, pl.Expr)
    return {
        ">=": actual >= required,
        "<=": actual <= required,
        ">": actual > required,
        "<": actual < required,
        "==": actual == required,
        "!=": actual != required,
    }[op]


def where_expr(actual: pl.Expr, cmp: m.Compare, kind: str, grades: dict[str, tuple[str, ...]]) -> pl.Expr:
    """A per-period condition with a literal value (inside consecutive/window blocks)."""
    if cmp.op == "in":
        return compare_expr(actual, "in", [comparable(v, kind, grades) for v in cmp.value])
    return compare_expr(actual, cmp.op, pl.lit(comparable(cmp.value, kind, grades)))
