"""Reads an interchange v1 data set (a folder of CSV files or one .xlsx workbook) into a `Dataset`.

Every cell is read as text first and then checked column by column with vectorised expressions, so a
million-row file is validated in one pass and every bad row is reported (file, row, column, expected),
not only the first. Nothing is returned unless the whole data set is valid.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from rungs.core.interchange.dataset import EDUCATION_WORDS, FILES, SCHEMAS, STATUS_WORDS, Dataset
from rungs.core.interchange.errors import DataError, Problem

REQUIRED: dict[str, tuple[str, ...]] = {
    "employees": ("employee_id", "name", "hire_date"),
    "assignments": ("employee_id", "track", "level", "start_date"),
    "evaluations": ("employee_id", "period"),
    "metrics": ("employee_id", "period", "metric", "value"),
    "events": ("employee_id", "date", "type"),
    "positions": ("level", "headcount"),
}
ASSIGNMENT_KINDS = ("hire", "initial", "promotion", "demotion", "transfer", "acting")
DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d")
PERIOD = r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$"
_EXPECTED = {
    "date": "a date YYYY-MM-DD (or YYYY/MM/DD)",
    "number": "a number",
    "integer": "a whole number",
    "period": "a period YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY",
}
# Columns computed from others, never read from a file.
_DERIVED = {"period_kind", "seq"}


def read_dataset(path: str | Path, *, keep_metrics: Iterable[str] | None = None) -> Dataset:
    """Reads and validates a data set. `keep_metrics` (optional) keeps only those KPI rows in memory: the
    engine needs only the metrics its policy names, and metrics are by far the largest file."""
    path = Path(path)
    keep = None if keep_metrics is None else sorted(set(keep_metrics))
    frames: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    metric_names: frozenset[str] = frozenset()
    for name, source in _sources(path).items():
        try:
            frames[name], names = _load(name, source, keep)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        metric_names = names if names is not None else metric_names
    if "employees" not in frames and not problems:
        problems.append(Problem(_file(path, "employees"), None, None, "employees.csv (it is required)"))
    out: dict[str, pl.DataFrame] = {}
    warnings: list[str] = []
    for name in FILES:
        if name in frames:
            out[name] = _validate(name, frames[name], _file(path, name), problems, warnings)
    if not problems:
        _check_references(path, out, problems)
    if problems:
        raise DataError(problems)
    return Dataset(**out, warnings=tuple(warnings), metric_names=metric_names)


def _file(path: Path, name: str) -> str:
    return f"{path.name}[{name}]" if path.suffix.lower() == ".xlsx" else str(path / f"{name}.csv")


# ---------------------------------------------------------------------------------------------- sources


def _sources(path: Path) -> dict[str, Path | pl.DataFrame]:
    """Each file of the data set: a CSV path, or a sheet already read from the workbook."""
    if not path.exists():
        raise DataError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "a folder of CSV files or an .xlsx workbook",
                    "nothing at this path",
                )
            ]
        )
    if path.is_dir():
        return {n: path / f"{n}.csv" for n in FILES if (path / f"{n}.csv").is_file()}
    if path.suffix.lower() == ".xlsx":
        return _xlsx(path)
    raise DataError(
        [
            Problem(
                str(path),
                None,
                None,
                "a folder of CSV files or an .xlsx workbook",
                f"a {path.suffix or 'plain'} file",
            )
        ]
    )


def _load(name: str, source: Path | pl.DataFrame, keep: list[str] | None):
    """Materialises one file as all-text columns. UTF-8 (with or without BOM) is scanned lazily by Polars;
    a file that is not UTF-8 is decoded as GB18030, a superset of GBK (what Excel on Chinese Windows
    writes). Returns the frame and, for metrics, every metric name the file mentions."""
    if isinstance(source, pl.DataFrame):
        return _materialise(name, source.lazy(), keep)
    try:
        return _materialise(name, pl.scan_csv(source, infer_schema=False), keep)
    except pl.exceptions.NoDataError:
        raise DataError([Problem(str(source), 1, None, "a header row", "an empty file")]) from None
    except pl.exceptions.ComputeError as exc:
        if "utf-8" not in str(exc).lower() and "utf8" not in str(exc).lower():
            raise DataError(
                [Problem(str(source), None, None, "a CSV file", str(exc).splitlines()[0])]
            ) from None
    try:
        text = source.read_bytes().decode("gb18030")
    except UnicodeDecodeError as err:
        raise DataError(
            [
                Problem(
                    str(source),
                    None,
                    None,
                    "text in UTF-8 or GB18030/GBK",
                    f"undecodable bytes at offset {err.start}",
                )
            ]
        ) from None
    return _materialise(name, pl.read_csv(io.StringIO(text), infer_schema=False).lazy(), keep)


def _materialise(name: str, lf: pl.LazyFrame, keep: list[str] | None):
    if name != "metrics" or "metric" not in lf.collect_schema().names():
        return lf.collect(), None
    names_q = lf.select(pl.col("metric").drop_nulls().unique())
    if keep is not None:
        lf = lf.filter(pl.col("metric").is_in(keep) | pl.col("metric").is_null())
    names, df = pl.collect_all([names_q, lf])
    return df, frozenset(names.get_column("metric").to_list())


def _xlsx(path: Path) -> dict[str, pl.DataFrame]:
    sheets = pl.read_excel(path, sheet_id=0, infer_schema_length=0, raise_if_empty=False)
    frames = {}
    for sheet, df in sheets.items():
        name = sheet.strip().removesuffix(".csv")
        if name in SCHEMAS:
            frames[name] = df.select(pl.all().cast(pl.String).name.map(str.strip))
    return frames


# ---------------------------------------------------------------------------------------------- checks


def _validate(name: str, df: pl.DataFrame, file: str, problems: list[Problem], warnings: list[str]):
    df = df.rename({c: c.strip() for c in df.columns})
    df = df.with_columns(pl.all().str.strip_chars().replace("", None))
    schema = SCHEMAS[name]
    missing = [c for c in REQUIRED[name] if c not in df.columns]
    for col in missing:
        problems.append(Problem(file, 1, col, f"a column named {col} (required)", "no such column"))
    if missing:
        return pl.DataFrame(schema=schema)
    unknown = [c for c in df.columns if c not in schema or c in _DERIVED]
    if unknown:
        kept = "kept as attributes" if name == "employees" else "ignored"
        warnings.append(f"{file}: unknown column(s) {', '.join(unknown)} ({kept})")
    df = df.with_row_index("_row", offset=2)  # header is row 1
    casts = _casts(name)
    typed = df.select(
        "_row",
        *[
            casts.get(c, pl.col(c)).alias(c) if c in df.columns else pl.lit(None, schema[c]).alias(c)
            for c in schema
            if c not in _DERIVED
        ],
    )
    for col in REQUIRED[name]:
        _report(problems, file, col, df.filter(pl.col(col).is_null()), col, "a value (required)")
    for col, kind in _kinds(name).items():
        if col not in df.columns:
            continue
        bad = df.select("_row", pl.col(col)).with_columns(typed.get_column(col).alias("_t"))
        bad = bad.filter(pl.col(col).is_not_null() & pl.col("_t").is_null())
        _report(problems, file, col, bad, col, _EXPECTED.get(kind, kind))
    if name == "evaluations" or name == "metrics":
        typed = _with_period(typed)
    if name == "employees":
        dup = df.filter(pl.col("employee_id").is_duplicated() & pl.col("employee_id").is_not_null())
        _report(problems, file, "employee_id", dup, "employee_id", "each employee_id once")
        extra = [c for c in unknown if c not in ("_row",)]
        typed = typed.with_columns(df.select(extra)) if extra else typed
    return typed.select([c for c in schema] + ([c for c in unknown] if name == "employees" else []))


def _kinds(name: str) -> dict[str, str]:
    kinds = {}
    for col, dtype in SCHEMAS[name].items():
        if dtype == pl.Date:
            kinds[col] = "date"
        elif dtype == pl.Float64:
            kinds[col] = "number"
        elif dtype == pl.Int32 and col != "seq":
            kinds[col] = "integer"
    if name == "employees":
        kinds["education"] = "one of " + " ".join(dict.fromkeys(EDUCATION_WORDS))
        kinds["status"] = "one of " + " ".join(STATUS_WORDS)
    if name == "assignments":
        kinds["kind"] = "one of " + " ".join(ASSIGNMENT_KINDS)
    if name in ("evaluations", "metrics"):
        kinds["period"] = "period"
    return kinds


def _casts(name: str) -> dict[str, pl.Expr]:
    casts: dict[str, pl.Expr] = {}
    for col, dtype in SCHEMAS[name].items():
        c = pl.col(col)
        if dtype == pl.Date:
            casts[col] = pl.coalesce(
                [c.str.to_date(f, strict=False) for f in DATE_FORMS]
                + [c.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)]
            )
        elif dtype == pl.Float64:
            casts[col] = c.cast(pl.Float64, strict=False)
        elif dtype == pl.Int32 and col != "seq":
            f = c.cast(pl.Float64, strict=False)
            casts[col] = pl.when(f == f.round()).then(f).cast(pl.Int32, strict=False)
    if name == "employees":
        casts["education"] = pl.col("education").replace_strict(EDUCATION_WORDS, default=None)
        casts["status"] = (
            pl.col("status")
            .replace_strict(STATUS_WORDS, default=None)
            .fill_null(pl.when(pl.col("status").is_null()).then(pl.lit("regular")))
        )
    if name == "assignments":
        k = pl.col("kind")
        casts["kind"] = pl.when(k.is_null()).then(pl.lit("promotion")).when(k.is_in(ASSIGNMENT_KINDS)).then(k)
    if name in ("evaluations", "metrics"):
        casts["period"] = pl.when(pl.col("period").str.contains(PERIOD)).then(pl.col("period"))
    return casts


def _with_period(df: pl.DataFrame) -> pl.DataFrame:
    parts = pl.col("period").str.extract_groups(PERIOD)
    y = parts.struct.field("1").cast(pl.Int32)
    m, q, h = (parts.struct.field(i).cast(pl.Int32) for i in ("2", "3", "4"))
    return df.with_columns(
        period_kind=pl.when(m.is_not_null())
        .then(pl.lit("M"))
        .when(q.is_not_null())
        .then(pl.lit("Q"))
        .when(h.is_not_null())
        .then(pl.lit("H"))
        .when(y.is_not_null())
        .then(pl.lit("Y")),
        seq=pl.coalesce(y * 12 + m - 1, y * 4 + q - 1, y * 2 + h - 1, y).cast(pl.Int32),
    )


def _report(problems: list[Problem], file: str, col: str, bad: pl.DataFrame, src: str, expected: str):
    for row, got in bad.head(1000).select("_row", src).iter_rows():
        problems.append(Problem(file, row, col, expected, got))


def _check_references(path: Path, frames: dict[str, pl.DataFrame], problems: list[Problem]) -> None:
    known = frames["employees"].select("employee_id")
    for name in ("assignments", "evaluations", "metrics", "events"):
        df = frames.get(name)
        if df is None or df.is_empty():
            continue
        orphans = (
            df.with_row_index("_row", offset=2)
            .select("_row", "employee_id")
            .join(known, on="employee_id", how="anti")
            .sort("_row")
        )
        _report(
            problems,
            _file(path, name),
            "employee_id",
            orphans,
            "employee_id",
            "an employee_id listed in employees.csv",
        )
