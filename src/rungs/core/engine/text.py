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


def _number_text(c: pl.Expr, tens: pl.Expr) -> pl.Expr:
    """The text of `displayable` for a float column where it can be computed exactly; null elsewhere."""
    whole = c.is_finite() & (c == c.floor()) & (c.abs() < 2.0**53)
    p = c * 10_000
    easy = c.is_finite() & (c.abs() < EXACT_BELOW) & (((p - p.floor()) - 0.5).abs() > NEAR_TIE)
    # Divided by a column, not a literal: Polars multiplies by the reciprocal of a literal divisor, which
    # is not the correctly rounded quotient (895714 / 10000 would be 89.57140000000001).
    rounded = (p.round(0, "half_to_even") / tens).cast(pl.String)
    return pl.when(whole).then(c.cast(pl.Int64).cast(pl.String)).when(easy).then(rounded)


def numbers_of(columns: list[pl.Series]) -> list[tuple[pl.Series, pl.Series]]:
    """(JSON, cell) of `displayable` numbers for each column: whole values without ".0", others rounded
    to 4 places. The float columns are formatted in one query, so Polars works on them side by side."""
    floats = [s.cast(pl.Float64) for s in columns if not s.dtype.is_integer()]
    texts: dict[int, pl.Series] = {}
    if floats:
        names = [f"_{i}" for i in range(len(floats))]
        frame = pl.DataFrame([s.alias(n) for s, n in zip(floats, names, strict=True)]).with_columns(
            _tens=pl.lit(10_000.0, dtype=pl.Float64)
        )
        done = frame.select(_number_text(pl.col(n), pl.col("_tens")).alias(n) for n in names)
        texts = {i: done.get_column(n) for i, n in enumerate(names)}
    out, k = [], 0
    for s in columns:
        if s.dtype.is_integer():
            t = s.cast(pl.String)
            out.append((t, t))
            continue
        f, t = floats[k], texts[k].alias(s.name)
        k += 1
        if t.null_count() == f.null_count():  # every value formatted by columns
            out.append((t, t))
            continue
        hard = f.is_not_null() & t.is_null()
        j, c = _through_python(f.filter(hard), lambda v: displayable(v, "number", {}))
        at = hard.arg_true()
        out.append((t.clone().scatter(at, j), t.clone().scatter(at, c)))  # scatter writes in place
    return out


def numbers(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(JSON, cell) of `displayable` numbers: whole values without ".0", others rounded to 4 places."""
    return numbers_of([s])[0]


def _is_number(s: pl.Series, kind: str) -> bool:
    words = kind.startswith(("grade:", "choice:")) or kind == "education"
    return (s.dtype.is_float() or s.dtype.is_integer()) and not words


def shown_all(
    columns: list[tuple[pl.Series, str]], grades: dict[str, tuple[str, ...]]
) -> list[tuple[pl.Series, pl.Series]]:
    """`shown` of each (column, kind), the numbers among them formatted together (numbers_of)."""
    numeric = [i for i, (s, kind) in enumerate(columns) if _is_number(s, kind)]
    done = dict(zip(numeric, numbers_of([columns[i][0] for i in numeric]), strict=True))
    return [done[i] if i in done else shown(s, kind, grades) for i, (s, kind) in enumerate(columns)]


def shown(s: pl.Series, kind: str, grades: dict[str, tuple[str, ...]]) -> tuple[pl.Series, pl.Series]:
    """(JSON token, CSV cell) of `compare.displayable(value, kind, grades)` for each value of a column;
    null for no value. Numbers are formatted by columns; words (grades, education, codes, text) go
    through `displayable` once per distinct value, so any kind it knows is shown as it shows it."""
    if _is_number(s, kind):
        return numbers(s)
    words = kind.startswith(("grade:", "choice:")) or kind == "education"
    if s.dtype == pl.String and not words:
        return json_strings(s), s
    return _through_python(s, lambda v: displayable(v, kind, grades))
