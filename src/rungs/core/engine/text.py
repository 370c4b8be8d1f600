"""Values as the reports write them, a whole column at a time.

Each function gives, for a column of values, the JSON token (`json.dumps(v, ensure_ascii=False)`) and the
text of a CSV cell (`str(v)`) that the per-value functions (`compare.displayable`, `str`, `json.dumps`)
would give, byte for byte: the reports are built as columns, but the bytes a user gets do not depend on
it. Where a vectorised form cannot be exact (a float too large to round by multiplication, one whose
rounding is a near tie, NaN) the few such values go through Python, once per distinct value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import polars as pl

from rungs.core.engine.compare import displayable

# Floats rounded by multiplication: below this size the product x·10⁴ is exact to within 1e-5, so a
# rounding decided more than NEAR_TIE from a tie is the one Python's exact round(x, 4) makes.
EXACT_BELOW = 1e7
NEAR_TIE = 1e-4
_ESCAPED = r'[\x00-\x1f"\\]'  # what json.dumps(ensure_ascii=False) escapes


def json_text(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False)


def cell_text(v: Any) -> str | None:
    """A value in one CSV cell: a list joined with commas, nothing for no value."""
    if v is None:
        return None
    return ", ".join(map(str, v)) if isinstance(v, list) else str(v)


def _through_python(s: pl.Series, fn: Callable[[Any], Any]) -> tuple[pl.Series, pl.Series]:
    """(JSON, cell) of fn(value) for each value, computed once per distinct value."""
    distinct = s.drop_nulls().unique().to_list()
    shown = [fn(v) for v in distinct]
    as_json = dict(zip(distinct, (json_text(v) for v in shown), strict=True))
    as_cell = dict(zip(distinct, (cell_text(v) for v in shown), strict=True))
    return (
        s.replace_strict(as_json, default=None, return_dtype=pl.String),
        s.replace_strict(as_cell, default=None, return_dtype=pl.String),
    )


def json_strings(s: pl.Series) -> pl.Series:
    """JSON string tokens of a text column (null stays null)."""
    s = s.cast(pl.String)
    if not s.str.contains(_ESCAPED).any():
        return ('"' + s + '"').alias(s.name)
    return _through_python(s, lambda v: v)[0]


def numbers(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(JSON, cell) of `displayable` numbers: whole values without ".0", others rounded to 4 places."""
    if s.dtype.is_integer():
        t = s.cast(pl.String)
        return t, t
    s = s.cast(pl.Float64)
    whole = s.is_finite() & (s == s.floor()) & (s.abs() < 2.0**53)
    p = s * 10_000
    easy = s.is_finite() & (s.abs() < EXACT_BELOW) & (((p - p.floor()) - 0.5).abs() > NEAR_TIE)
    # Divided by a column, not a literal: Polars multiplies by the reciprocal of a literal divisor, which
    # is not the correctly rounded quotient (895714 / 10000 would be 89.57140000000001).
    tens = pl.repeat(10_000.0, len(s), dtype=pl.Float64, eager=True)
    rounded = (p.round(0, "half_to_even") / tens).cast(pl.String)
    frame = pl.DataFrame({"s": s, "w": whole, "e": easy, "r": rounded})
    t = frame.select(
        pl.when("w").then(pl.col("s").cast(pl.Int64).cast(pl.String)).when("e").then(pl.col("r"))
    ).to_series()
    hard = s.is_not_null() & t.is_null()
    if not hard.any():
        return t, t
    j, c = _through_python(s.filter(hard), lambda v: displayable(v, "number", {}))
    at = hard.arg_true()
    return t.clone().scatter(at, j), t.clone().scatter(at, c)  # scatter writes in place


def shown(s: pl.Series, kind: str, grades: dict[str, tuple[str, ...]]) -> tuple[pl.Series, pl.Series]:
    """(JSON token, CSV cell) of `compare.displayable(value, kind, grades)` for each value of a column;
    null for no value. Numbers are formatted by columns; words (grades, education, codes, text) go
    through `displayable` once per distinct value, so any kind it knows is shown as it shows it."""
    words = kind.startswith(("grade:", "choice:")) or kind == "education"
    if (s.dtype.is_float() or s.dtype.is_integer()) and not words:
        return numbers(s)
    if s.dtype == pl.String and not words:
        return json_strings(s), s
    return _through_python(s, lambda v: displayable(v, kind, grades))
