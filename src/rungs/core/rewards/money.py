"""Money as whole fen (Int64): exact sums, shares rounded half away from zero (四舍五入) to the fen.

Amounts enter as Decimal yuan (the policy), as decimal text (base_pay in employees.csv) or as numbers of
metrics.csv (read as Float64: a value written with at most two decimals is the double nearest to it, so
×100 rounded to the nearest whole number is its exact fen). Nothing after that is a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

FEN = pl.Int64()


def fen(value: Decimal) -> int:
    """Decimal yuan → whole fen, half away from zero."""
    sign = -1 if value < 0 else 1
    return sign * int((abs(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_of_float(expr: pl.Expr) -> pl.Expr:
    """A metric value in yuan (Float64) → whole fen."""
    return (expr * 100).round(0, mode="half_away_from_zero").cast(FEN)


def fen_of_text(expr: pl.Expr) -> pl.Expr:
    """Decimal text in yuan ("5000", "5000.5") → whole fen, exact (a third decimal rounds half up)."""
    return (
        expr.cast(pl.Decimal(20, 2), strict=False)
        .cast(pl.String)
        .str.replace(".", "", literal=True)
        .cast(FEN)
    )


def ratio(value: Decimal) -> tuple[int, int]:
    """A rate as numerator and denominator: Decimal('0.05') → (1, 20)."""
    num, den = value.as_integer_ratio()
    return num, den


def times(amount: pl.Expr, num: pl.Expr | int, den: pl.Expr | int) -> pl.Expr:
    """amount × num / den in fen, half away from zero, computed in Int128 so no product overflows."""
    a = amount.cast(pl.Int128)
    n = num.cast(pl.Int128) if isinstance(num, pl.Expr) else pl.lit(num, pl.Int128)
    d = den.cast(pl.Int128) if isinstance(den, pl.Expr) else pl.lit(den, pl.Int128)
    magnitude = (a.abs() * n * 2 + d) // (2 * d)
    return pl.when(a < 0).then(pl.lit(0, pl.Int128) - magnitude).otherwise(magnitude).cast(FEN)


def mean_fen(total: pl.Expr, count: pl.Expr) -> pl.Expr:
    """The mean of whole fen, half away from zero."""
    return times(total, 1, count)


def yuan(expr: pl.Expr) -> pl.Expr:
    """Whole fen → yuan text with two decimals: 315000 → '3150.00', -5 → '-0.05'."""
    a = expr.abs()
    return pl.concat_str(
        pl.when(expr < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (a // 100).cast(pl.String),
        pl.lit("."),
        (a % 100).cast(pl.String).str.zfill(2),
    )


def yuan_text(value: int) -> str:
    """Whole fen → yuan text (Python side)."""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value) // 100}.{abs(value) % 100:02d}"


def percent_text(rate: Decimal) -> str:
    """Decimal('0.5') → '50%'."""
    return f"{(rate * 100).normalize():f}%"


def decimal_text(value: Decimal) -> str:
    """Decimal('0.50') → '0.5', Decimal('800') → '800'."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class Unit:
    """What a plan pays in. Points are kept as hundredths like fen, so every sum, share and cap is the
    same arithmetic; a points line is rounded to whole points (half away from zero) and written without
    decimals."""

    code: str  # yuan | points
    zh: str
    en: str

    def word(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh

    def text(self, value: int) -> str:
        return yuan_text(value) if self.code == "yuan" else str(value // 100)

    def expr(self, expr: pl.Expr) -> pl.Expr:
        return yuan(expr) if self.code == "yuan" else (expr // 100).cast(pl.String)

    def whole(self, expr: pl.Expr) -> pl.Expr:
        return expr if self.code == "yuan" else times(expr, 1, 100) * 100


UNITS = {"yuan": Unit("yuan", "元", "yuan"), "points": Unit("points", "积分", "points")}


def amount_text(amount: pl.Expr, unit: pl.Expr) -> pl.Expr:
    """A column of amounts in the units of another column (yuan or points), as text."""
    return pl.when(unit == "points").then(UNITS["points"].expr(amount)).otherwise(yuan(amount))
