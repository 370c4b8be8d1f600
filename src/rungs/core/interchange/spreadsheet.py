"""Every workbook and CSV file Rungs writes: text never becomes a live formula, numbers stay numbers, and
reading the file back gives exactly the values written.

A name such as `=HYPERLINK(…)` or `=cmd|…` is a formula to Excel when it opens a CSV file or finds a
formula cell in a workbook. In a workbook every text cell is written as a string (xlsxwriter's
`strings_to_formulas` off), so nothing changes. In CSV, text that begins with = + - @ tab or CR (OWASP's
list) gets one leading apostrophe, which Excel shows as text; the reader removes it again. Text that
already begins with apostrophes before such a character gets one more, so the rule can always be undone;
plain numbers such as -3 are not formulas and are left alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

_FORMULA = r"^'*[=+\-@\t\r]"  # text Excel could take as a formula (after any apostrophes)
_MARKED = r"^'+[=+\-@\t\r]"  # what the writer made of it
_NUMBER = r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"
# Strings stay strings: no formulas, no hyperlinks, no numbers made of text.
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
_TEXT = (pl.String, pl.Categorical, pl.Enum)


def _texts(df: pl.DataFrame) -> list[str]:
    return [c for c, t in df.schema.items() if isinstance(t, _TEXT) or t in _TEXT]


def csv_safe(df: pl.DataFrame) -> pl.DataFrame:
    """The frame with formula-like text marked, ready for `write_csv`. The columns are tested together
    first, and only one that has such text is rewritten: a large report rarely has any."""
    texts = _texts(df)
    if not texts or df.is_empty():
        return df
    risky = df.select(pl.col(c).cast(pl.String).str.contains(_FORMULA).any() for c in texts).row(0)
    out = []
    for c, found in zip(texts, risky, strict=True):
        if not found:
            continue
        v = pl.col(c).cast(pl.String)
        out.append(
            pl.when(v.str.contains(_FORMULA) & ~v.str.contains(_NUMBER)).then("'" + v).otherwise(v).alias(c)
        )
    return df.with_columns(out) if out else df


def is_marked(values: pl.Series) -> bool:
    """Whether any of these texts (a column's distinct values) is one `csv_safe` marked."""
    return bool(values.cast(pl.String).str.contains(_MARKED).any())


def csv_unmarked(df: pl.DataFrame, columns: Iterable[str] | None = None) -> pl.DataFrame:
    """Undoes `csv_safe` on a frame read from CSV (in `columns`, by default every text column)."""
    marked = [c for c in (_texts(df) if columns is None else columns) if is_marked(df.get_column(c).unique())]
    if not marked:
        return df
    return df.with_columns(
        pl.when(pl.col(c).cast(pl.String).str.contains(_MARKED))
        .then(pl.col(c).cast(pl.String).str.slice(1))
        .otherwise(pl.col(c).cast(pl.String))
        .alias(c)
        for c in marked
    )


def write_sheet(book: Any, name: str, df: pl.DataFrame, *, numeric_text: Iterable[str] = ()) -> None:
    """One frame as a worksheet of `book` (an xlsxwriter Workbook made with WORKBOOK_OPTIONS): a bold
    header, text as strings, numbers and booleans as such, dates as dates. Columns in `numeric_text` hold
    numbers written as text among other text (a criterion's actual value: 18, or "≥ 1 of 2"); those that
    are plain numbers are written as numbers."""
    sheet = book.add_worksheet(name)
    bold = book.add_format({"bold": True})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, df.columns, bold)
    numeric_text = set(numeric_text)
    for j, col in enumerate(df.columns):
        s = df.get_column(col)
        if s.dtype == pl.Date:
            _column(sheet.write_datetime, j, s, date)
        elif s.dtype == pl.Boolean:
            _column(sheet.write_boolean, j, s)
        elif s.dtype.is_numeric():
            _column(sheet.write_number, j, s.fill_nan(None) if s.dtype.is_float() else s)
        elif col in numeric_text:
            text = s.cast(pl.String)
            plain = text.str.contains(_NUMBER)
            number = pl.select(pl.when(plain).then(text.cast(pl.Float64, strict=False))).to_series()
            for i, (t, n) in enumerate(zip(text, number, strict=True), start=1):
                if n is not None:
                    sheet.write_number(i, j, n)
                elif t is not None:
                    sheet.write_string(i, j, t)
        else:
            _column(sheet.write_string, j, s.cast(pl.String))
    sheet.freeze_panes(1, 0)
    if df.height < 10_000:
        sheet.autofit()


def _column(write: Callable[..., object], j: int, s: pl.Series, *fmt: object) -> None:
    for i, v in enumerate(s, start=1):
        if v is not None:  # null stays a blank cell
            write(i, j, v, *fmt)


def workbook_bytes(frames: dict[str, pl.DataFrame], **kw: Any) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    with xlsxwriter.Workbook(buf, {"in_memory": True, **WORKBOOK_OPTIONS}) as book:
        for name, df in frames.items():
            write_sheet(book, name, df, **kw)
    return buf.getvalue()
