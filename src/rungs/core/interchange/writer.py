"""Writes a `Dataset` back in interchange v1 form: a folder of UTF-8 CSV files or one .xlsx workbook.

What the reader derives (period_kind, seq) is not written, so write → read gives the same data set; text
that Excel could take as a formula is written so that it cannot be (rungs.core.interchange.spreadsheet).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from rungs.core.interchange.dataset import FILES, Dataset
from rungs.core.interchange.spreadsheet import WORKBOOK_OPTIONS, csv_safe, write_sheet

_DERIVED = ("period_kind", "seq")


def export_frames(data: Dataset) -> dict[str, pl.DataFrame]:
    """The files of the data set as they are written: derived columns dropped, empty optional files left out."""
    out = {}
    for name in FILES:
        df = data.frame(name)
        if name != "employees" and df.is_empty():
            continue
        out[name] = df.drop([c for c in _DERIVED if c in df.columns])
    return out


def write_dataset(data: Dataset, target: str | Path) -> Path:
    target = Path(target)
    frames = export_frames(data)
    if target.suffix.lower() == ".xlsx":
        import xlsxwriter

        target.parent.mkdir(parents=True, exist_ok=True)
        with xlsxwriter.Workbook(target, WORKBOOK_OPTIONS) as wb:
            for name, df in frames.items():
                write_sheet(wb, name, df)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        csv_safe(df).write_csv(target / f"{name}.csv", date_format="%Y-%m-%d", float_precision=None)
    return target
