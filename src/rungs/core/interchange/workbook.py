"""The sheets of an .xlsx data set as all-text frames, read as a stream of rows.

Memory follows the data, not the sheet's extent. Reading a whole sheet at once (fastexcel/calamine, which
`pl.read_excel` uses) builds a dense grid of the used range: one stray cell at CW1048576 in a 5 KB file
makes a grid of a million rows by a hundred columns, 3.6 GB. openpyxl in read-only mode parses the sheet's
XML row by row; only the header's columns are read, rows are gathered in chunks, and blank rows after
the last row with data are never stored (blank rows between rows with data are, so row numbers hold). Cells become text as a CSV file would have them, so the reader checks
a workbook exactly as it checks CSV files.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Container
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
from openpyxl.utils.exceptions import InvalidFileException

from rungs.core.interchange.errors import DataError, Problem

CHUNK = 50_000  # rows gathered as Python values before they become a frame


def read_sheets(path: Path, wanted: Container[str]) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """The sheets whose names (without a trailing .csv) are in `wanted`, and warnings about cells right
    of the header's columns (they are not read)."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        # not a workbook at all: a CSV renamed, a damaged download
        raise DataError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "an .xlsx workbook (Excel 2007 or later)",
                    "a file Excel cannot open",
                )
            ]
        ) from None
    frames: dict[str, pl.DataFrame] = {}
    warnings: list[str] = []
    try:
        for sheet in book.worksheets:
            name = sheet.title.strip().removesuffix(".csv")
            if name in wanted and name not in frames:
                frames[name], outside = _sheet(sheet)
                if outside:
                    warnings.append(f"{path.name}[{name}]: cells right of the last named column are not read")
    finally:
        book.close()
    return frames, warnings


def _sheet(sheet: Any) -> tuple[pl.DataFrame, bool]:  # an openpyxl read-only worksheet (untyped)
    first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    header = [_text(v) for v in first]
    while header and header[-1] is None:
        header.pop()
    if not header:
        return pl.DataFrame(), False
    # An unnamed column between named ones is kept (and reported as an unknown column), as calamine did.
    names = [h if h is not None else f"__UNNAMED__{i}" for i, h in enumerate(header)]
    width = len(names)
    chunks: list[pl.DataFrame] = []
    columns: list[list[str | None]] = [[] for _ in names]
    blank = 0  # blank rows seen since the last row with data: stored only if data follows
    for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
        cells = [_text(v) for v in row]
        if all(c is None for c in cells):
            blank += 1
            continue
        if blank:
            for col in columns:
                col.extend([None] * blank)
            blank = 0
        for col, value in zip(columns, cells + [None] * (width - len(cells)), strict=True):
            col.append(value)
        if len(columns[0]) >= CHUNK:
            chunks.append(_frame(names, columns))
            columns = [[] for _ in names]
    chunks.append(_frame(names, columns))
    # Whether anything lies right of the header, from the sheet's own dimension (no cell is read for it).
    return pl.concat(chunks), (sheet.max_column or 0) > width


def _frame(names: list[str], columns: list[list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(dict(zip(names, columns, strict=True)), schema=dict.fromkeys(names, pl.String))


def _text(v: object) -> str | None:
    """A cell as a CSV file would have it: whole numbers without .0, dates as YYYY-MM-DD."""
    if v is None or v == "":
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    return str(v)
