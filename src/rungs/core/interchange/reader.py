"""Reads an interchange v1 data set (a folder of CSV files or one .xlsx workbook) into a `Dataset`.

Two paths, one result. The fast path lets Polars parse numbers and ISO dates while it reads, which is what
a well-formed export from an HR or helpdesk system needs. If anything does not parse, the file is read
again as text and checked cell by cell with vectorised expressions, so every bad row is reported (file,
row, column, expected), not only the first. Nothing is returned unless the whole data set is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from rungs.core.interchange.checks import FIRST_DATE, LAST_DATE, check_cells
from rungs.core.interchange.dataset import EDUCATION_WORDS, FILES, PERIOD_KIND, SCHEMAS, STATUS_WORDS, Dataset
from rungs.core.interchange.errors import DataError, Problem
from rungs.core.interchange.spreadsheet import csv_unmarked, is_marked
from rungs.core.periods import PER_YEAR, PERIOD_KINDS, ordinal, period_code
from rungs.core.vocabulary import ASSIGNMENT_KIND_CODES as ASSIGNMENT_KINDS
from rungs.core.vocabulary import CANONICAL_METRICS, EVENT_TYPES

REQUIRED: dict[str, tuple[str, ...]] = {
    "employees": ("employee_id", "name", "hire_date"),
    "assignments": ("employee_id", "track", "level", "start_date"),
    "evaluations": ("employee_id", "period"),
    "metrics": ("employee_id", "period", "metric", "value"),
    "events": ("employee_id", "date", "type"),
    "positions": ("level", "headcount"),
}
# Optional employee columns outside SCHEMAS (kept as attributes, as text) whose cells must be numbers:
# base_pay is money, so it stays the text written (exact for Decimal) but a non-number is a data error.
NUMERIC_ATTRIBUTES = ("base_pay",)
# Each accepted way of writing a date: the whole cell must match the pattern (Polars' own parsing would
# also take "+2024-01-01" and "2024-01-01 garbage"), then the format reads it. The last is how a workbook
# gives an Excel date cell: a datetime whose date part is kept.
DATE_FORMS = (
    (r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    (r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    (r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "%Y-%m-%d"),
)
_ISO = r"^\d{4}-\d{2}-\d{2}$"
# Values a column takes where a file leaves it blank or does not have it at all.
DEFAULTS = {("assignments", "kind"): "promotion"}
PERIOD = r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$"
_DERIVED = ("period_kind", "seq")  # computed from `period`, never read from a file
_TYPED = (pl.Float64, pl.Int32)  # parsed by Polars on the fast path; dates are checked as text
_EXPECTED = {
    pl.Date: "a date YYYY-MM-DD (or YYYY/MM/DD)",
    pl.Float64: "a number",
    pl.Int32: "a whole number",
}
ROW = "_row"  # the row number of the file, in frames being checked
_MAX_ROWS_REPORTED = 1000  # per column; the count of problems is what matters beyond that


Span = tuple[int | None, int]  # the seqs of the periods of one kind read: from (None: the earliest) to


@dataclass(frozen=True)
class Needed:
    """The rows one policy reads at one date (rungs.core.engine.evaluate.needed), so that a reader leaves
    the rest out while it parses: at 100,000 employees the monthly scores and old months of KPIs a policy
    never looks at are most of the data. Only rows certainly not read are left out: a well-formed period
    of a kind or span not read, an event of a known type not read. A malformed period, an unknown or
    padded type is kept and checked, so every bad cell that could change a result is still reported."""

    metrics: Mapping[str, Mapping[str, Span]]  # metric → period kind → span
    evaluations: Mapping[str, Span]  # period kind → span
    event_types: frozenset[str]  # the types of the vocabulary that are read
    # types read only from a date on (12 months of leave, say): older events of them are not read; a type
    # read at any age (an exam, since the level began, ever) has no entry
    event_since: Mapping[str, dt.date] = field(default_factory=dict)


def read_dataset(
    path: str | Path, *, keep_metrics: Iterable[str] | None = None, needed: Needed | None = None
) -> Dataset:
    """Reads and validates a data set. `keep_metrics` (optional) keeps only those KPI rows in memory: the
    engine needs only the metrics its policy names, and metrics are by far the largest file. `needed`
    (optional, instead) keeps only the rows one policy reads at one date, and checks only those."""
    path = Path(path)
    if needed is not None:
        keep_metrics = needed.metrics
    keep = None if keep_metrics is None else sorted(set(keep_metrics))
    problems: list[Problem] = []
    warnings: list[str] = []
    out: dict[str, pl.DataFrame] = {}
    # per file, the distinct values of its text columns (the employee ids among them), found while tidying
    ids: dict[str, dict[str, pl.Series]] = {}
    columns: dict[str, tuple[str, ...]] = {}  # the columns each file came with
    sources = _sources(path, warnings)
    if "employees" not in sources:
        raise DataError([Problem(_file(path, "employees"), None, None, "employees.csv (it is required)")])

    Done = tuple[list[Problem], list[str], pl.DataFrame | None, dict[str, pl.Series]]

    def one(name: str, people: Callable[[], pl.Series | None] | None = None) -> Done:
        found: list[Problem] = []
        noted: list[str] = []
        distinct: dict[str, pl.Series] = {}
        try:
            df = _load(name, sources[name], keep, needed)
        except DataError as exc:
            return exc.problems, [], None, {}
        columns[name] = tuple(c.strip() for c in df.columns)
        # Text our own CSV export marked is unmarked while checking (a workbook holds it unmarked).
        unmark = not isinstance(sources[name], pl.DataFrame)
        ids = people() if people is not None else None
        frame = validate_frame(name, df, _file(path, name), found, noted, distinct, unmark, ids)
        return found, noted, frame, distinct

    # Two files at a time: Polars releases the GIL, so one file's checks (partly single-threaded) run
    # while the next is parsed. Problems and warnings are kept in file order, as one at a time gave them.
    # employees.csv comes first, and the other files are checked against its ids once it is done.
    present = [n for n in FILES if n in sources and n != "employees"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(one, "employees")

        def people() -> pl.Series | None:
            found, _, frame, _ = first.result()
            return None if found or frame is None else frame.get_column("employee_id")

        done = [first.result(), *pool.map(lambda n: one(n, people), present)]
        present.insert(0, "employees")
    given: dict[str, tuple[str, ...]] = {}
    for name, (found, noted, frame, distinct) in zip(present, done, strict=True):
        problems.extend(found)
        warnings.extend(noted)
        if frame is not None:
            out[name], ids[name] = frame, distinct
            given[name] = columns[name]
    if not problems:
        _check_references(
            path, out, problems, {n: d["employee_id"] for n, d in ids.items() if "employee_id" in d}
        )
    if problems:
        raise DataError(problems)
    out = {n: df.drop(ROW, strict=False) for n, df in out.items()}
    if keep is not None and "metrics" in out:
        out["metrics"] = _only(out["metrics"], keep)
    return Dataset(**out, warnings=tuple(warnings), given=given)


def _file(path: Path, name: str) -> str:
    return f"{path.name}[{name}]" if path.suffix.lower() == ".xlsx" else str(path / f"{name}.csv")


# ---------------------------------------------------------------------------------------------- sources


def _sources(path: Path, warnings: list[str]) -> Mapping[str, Path | pl.DataFrame]:
    """Each file of the data set: a CSV path, or a sheet already read (as text) from the workbook."""
    expected = "a folder of CSV files or an .xlsx workbook"
    if not path.exists():
        raise DataError([Problem(str(path), None, None, expected, "nothing at this path")])
    if path.is_dir():
        return {n: path / f"{n}.csv" for n in FILES if (path / f"{n}.csv").is_file()}
    if path.suffix.lower() == ".xlsx":
        # Imported here: openpyxl (and NumPy behind it) would add a fifth of a second to every CSV run.
        from rungs.core.interchange.workbook import read_sheets

        sheets, notes = read_sheets(path, SCHEMAS)
        warnings.extend(notes)
        return sheets
    raise DataError([Problem(str(path), None, None, expected, f"a {path.suffix or 'plain'} file")])


def _load(
    name: str, source: Path | pl.DataFrame, keep: list[str] | None, needed: Needed | None = None
) -> pl.DataFrame:
    """The file as a frame: typed where Polars could parse it, otherwise all text. UTF-8 (with or without
    BOM) is scanned by Polars directly; any other file is decoded as GB18030, a superset of GBK (what
    Excel on Chinese Windows writes)."""
    if isinstance(source, pl.DataFrame):
        return _keep(name, source.lazy(), keep, needed).collect()
    try:
        return _scan(name, lambda **kw: pl.scan_csv(source, **kw), keep, needed)
    except pl.exceptions.NoDataError:
        raise DataError([Problem(str(source), 1, None, "a header row", "an empty file")]) from None
    except _NotUtf8:
        pass
    except _Malformed as exc:
        raise DataError(
            [malformed(str(source), source.read_bytes().decode("utf-8-sig"), exc.args[0])]
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
    try:
        return _scan(name, lambda **kw: pl.read_csv(io.StringIO(text), **kw).lazy(), keep, needed)
    except _Malformed as exc:
        raise DataError([malformed(str(source), text, exc.args[0])]) from None


class _NotUtf8(Exception):
    pass


class _Malformed(Exception):
    """Polars could not split the file into rows and fields; `malformed` finds where and why."""


def _scan(
    name: str, open_csv: Callable[..., pl.LazyFrame], keep: list[str] | None, needed: Needed | None
) -> pl.DataFrame:
    try:
        return _scan_text(name, open_csv, keep, needed)
    except pl.exceptions.NoDataError:
        raise
    except pl.exceptions.PolarsError as exc:
        if "utf-8" in str(exc).lower() or "utf8" in str(exc).lower():
            raise _NotUtf8 from None
        raise _Malformed(str(exc)) from None


def _scan_text(
    name: str, open_csv: Callable[..., pl.LazyFrame], keep: list[str] | None, needed: Needed | None
) -> pl.DataFrame:
    header = open_csv(infer_schema=False, n_rows=0).collect_schema().names()
    schema = SCHEMAS[name]
    # Labels are read as categorical straight away (any text is one, so they never fail to parse): the
    # filters below then compare dictionary codes, and no string is kept per row.
    typed = {c: schema[c] for c in header if c.strip() == c and schema.get(c) in (*_TYPED, pl.Categorical)}
    # Rows are numbered by the CSV reader itself: numbered after it, the filters below could not be pushed
    # into the scan, and every row of a large file would be materialised first (at a million employees
    # that costs seconds of page faults).
    numbered = {"row_index_name": ROW, "row_index_offset": 2}  # the header is row 1
    try:
        return _keep(
            name, open_csv(infer_schema=False, schema_overrides=typed, **numbered), keep, needed
        ).collect()
    except pl.exceptions.PolarsError as exc:
        if isinstance(exc, pl.exceptions.NoDataError):
            raise
        if "utf-8" in str(exc).lower() or "utf8" in str(exc).lower():
            raise _NotUtf8 from None
    # Something did not parse: read everything as text so each bad cell can be named.
    return _keep(name, open_csv(infer_schema=False, **numbered), keep, needed).collect()


def malformed(file: str, text: str, message: str) -> Problem:
    """Where a CSV file stops being rows of fields: the first row with an unclosed quote or with more
    fields than the header, found by Python's strict CSV reader (only ever run on a file Polars refused)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long cell is not the problem here
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0  # rows read whole so far; the header is row 1
    try:
        header = next(rows)
        row = 1
        if len(set(header)) < len(header):
            return Problem(file, 1, None, "每个列名只出现一次 / each column name once", ",".join(header))
        for row, fields in enumerate(rows, start=2):
            if len(fields) > len(header):
                return Problem(
                    file,
                    row,
                    None,
                    f"至多 {len(header)} 个字段，与表头相同 / at most {len(header)} fields, as in the header",
                    f"{len(fields)} 个字段 / fields",
                )
    except csv.Error as exc:
        return Problem(
            file,
            row + 1,
            None,
            "格式正确的 CSV 行（引号成对）/ a well-formed CSV row (every quote closed)",
            str(exc),
        )
    return Problem(file, None, None, "格式正确的 CSV 文件 / a well-formed CSV file", message.splitlines()[0])


def _keep(name: str, lf: pl.LazyFrame, keep: list[str] | None, needed: Needed | None = None) -> pl.LazyFrame:
    names = lf.collect_schema().names()
    # Numbered before anything is left out, so that a problem names the row the file has it on (a CSV file
    # is numbered by its reader already).
    if ROW not in names:
        lf = lf.with_row_index(ROW, offset=2)  # the header is row 1, as a spreadsheet shows it
    if name == "metrics" and keep is not None and "metric" in names:
        # Only the vocabulary's other metrics are left out here: a padded name (" tickets") or one the
        # vocabulary does not know is kept for now and stripped and filtered again after validation, so
        # no row is lost to stray spaces, and each row costs a lookup of its label's code, not a string op.
        metric = pl.col("metric")
        others = sorted(set(CANONICAL_METRICS) - set(keep))
        lf = lf.filter(metric.is_in(keep) | ~metric.is_in(others) | metric.is_null())
    if needed is not None:
        lf = lf.filter(~_unread(name, names, needed))
    # Labels become categorical while reading, which also lets Polars drop the parse buffers behind them.
    labels = [c for c in names if SCHEMAS[name].get(c) == pl.Categorical]
    return lf.with_columns(pl.col(labels).cast(pl.Categorical)) if labels else lf


def _unread(name: str, names: list[str], needed: Needed) -> pl.Expr:
    """The rows of a file that `needed` certainly does not read (compared as written, before any tidying:
    a cell with a stray space is never left out)."""
    if name == "events" and "type" in names:
        kind = pl.col("type")
        unread = kind.is_in(sorted(set(EVENT_TYPES) - needed.event_types))
        if "date" not in names:
            return unread
        # An old event is left out only when its date is written as a valid ISO date: any other way of
        # writing it is kept and checked.
        date = pl.col("date").cast(pl.String)
        for since, types in _by_date(needed.event_since).items():
            unread = unread | (kind.is_in(types) & date.is_in(_iso_days_before(since)))
        return unread
    if "period" not in names:
        return pl.lit(False)
    period = pl.col("period")
    known = period.is_in(_all_codes())  # a well-formed period of a year Rungs takes
    if name == "evaluations":
        return known & ~period.is_in(_codes(tuple(sorted(needed.evaluations.items()))))
    if name == "metrics" and "metric" in names and needed.metrics:
        metric = pl.col("metric")
        read = pl.coalesce(
            pl.when(metric == name_).then(period.is_in(_codes(tuple(sorted(spans.items())))))
            for name_, spans in sorted(needed.metrics.items())
        )
        return known & ~read.fill_null(True)  # another metric's rows were dropped already, or are kept
    return pl.lit(False)


def _by_date(since: Mapping[str, dt.date]) -> dict[dt.date, list[str]]:
    out: dict[dt.date, list[str]] = {}
    for kind, day in sorted(since.items()):
        out.setdefault(day, []).append(kind)
    return out


@functools.cache
def _iso_days_before(day: dt.date) -> list[str]:
    """Every date from the first the reader takes to the day before `day`, as YYYY-MM-DD."""
    first = FIRST_DATE.toordinal()
    return [dt.date.fromordinal(n).isoformat() for n in range(first, max(first, day.toordinal()))]


@functools.cache
def _all_codes() -> list[str]:
    return _codes(tuple((k, (None, _last_seq(k))) for k in PERIOD_KINDS))


def _last_seq(kind: str) -> int:
    last: int = ordinal(kind, LAST_DATE.year, PER_YEAR[kind] - 1)
    return last


@functools.cache
def _codes(spans: tuple[tuple[str, Span], ...]) -> list[str]:
    """The codes of the periods in `spans` (kind → span), within the years the reader takes."""
    out = []
    for kind, (first, last) in spans:
        lo = ordinal(kind, FIRST_DATE.year)
        out += [
            period_code(kind, seq) for seq in range(max(first if first is not None else lo, lo), last + 1)
        ]
    return out


def _only(metrics: pl.DataFrame, keep: list[str]) -> pl.DataFrame:
    """The rows of the kept metrics. Padded names were kept for validation and are stripped by now; a
    well-formed file has none, and then the frame is returned as is rather than copied (at a million
    employees the copy alone is ~2 GB)."""
    wanted = pl.col("metric").is_in(keep)
    if metrics.select(wanted.all()).item():
        return metrics
    return metrics.filter(wanted)


# ---------------------------------------------------------------------------------------------- checks


def validate_frame(
    name: str,
    df: pl.DataFrame,
    file: str,
    problems: list[Problem],
    warnings: list[str],
    distinct: dict[str, pl.Series] | None = None,
    unmark: bool = False,
    people: pl.Series | None = None,
) -> pl.DataFrame:
    """One file's frame checked and typed; problems and warnings are appended. Used by the reader and by
    the API, which receives the same rows as JSON. `distinct` (optional) receives the distinct values of
    the text columns that needed no tidying (the reader checks employee ids against them). `unmark`: the
    rows come from a CSV file, where text our writer marked as not-a-formula is unmarked first. `people`
    (optional): the employee ids of employees.csv, checked already."""
    schema = SCHEMAS[name]
    distinct = {} if distinct is None else distinct
    df = _tidy(df.rename({c: c.strip() for c in df.columns}), distinct, unmark, people)
    missing = [c for c in REQUIRED[name] if c not in df.columns]
    for col in missing:
        problems.append(Problem(file, 1, col, f"a column named {col} (required)", "no such column"))
    if missing:
        return pl.DataFrame(schema=schema)
    numbered = ROW in df.columns  # by the reader, before it left out rows; kept until ids are checked
    unknown = [c for c in df.columns if (c not in schema or c in _DERIVED) and c != ROW]
    known_extra = [c for c in unknown if name == "employees" and c in NUMERIC_ATTRIBUTES]
    if len(unknown) > len(known_extra):
        kept = "kept as attributes" if name == "employees" else "ignored"
        named = ", ".join(c for c in unknown if c not in known_extra)
        warnings.append(f"{file}: unknown column(s) {named} ({kept})")
    if not numbered:
        df = df.with_row_index(ROW, offset=2)  # the header is row 1, as a spreadsheet shows it
    for col in REQUIRED[name]:
        _report(problems, file, col, df.filter(pl.col(col).is_null()), "a value (required)")
    typed = df.select(
        "_row",
        *[
            pl.lit(DEFAULTS.get((name, c)), dtype).alias(c)
            for c, dtype in schema.items()
            if c not in df.columns and c not in _DERIVED
        ],
    )
    for col in df.columns:
        if col not in schema or col in _DERIVED:
            continue
        value, expected = _convert(name, col, df.get_column(col), distinct.get(col))
        if expected is not None:
            bad = df.select("_row", col).filter(pl.col(col).is_not_null() & value.is_null())
            _report(problems, file, col, bad, expected)
        typed = typed.with_columns(value.alias(col))
    stored = [c for c in df.columns if c in schema and c not in _DERIVED] + (
        unknown if name == "employees" else []
    )
    check_cells(
        name,
        df,
        typed,
        stored,
        lambda col, bad, expected: _report(problems, file, col, bad, expected),
        distinct,
    )
    if name in ("evaluations", "metrics"):
        typed = _with_period(typed)
        bad = typed.filter(pl.col("period").is_not_null() & pl.col("period_kind").is_null())
        _report(problems, file, "period", bad, "a period YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY")
    if name == "employees":
        dup = df.filter(pl.col("employee_id").is_duplicated() & pl.col("employee_id").is_not_null())
        _report(problems, file, "employee_id", dup, "each employee_id once")
        for col in known_extra:  # text, but each cell a finite number (inf or NaN is no pay)
            text = df.get_column(col).cast(pl.String).str.strip_chars()
            number = text.cast(pl.Float64, strict=False)
            bad = df.select("_row", col).filter(text.is_not_null() & ~number.is_finite().fill_null(False))
            _report(problems, file, col, bad, f"{_EXPECTED[pl.Float64]} (有限的数值 finite)")
        typed = typed.with_columns(df.select(unknown))
    return typed.select(*schema, *(unknown if name == "employees" else []), *([ROW] if numbered else []))


def _tidy(
    df: pl.DataFrame,
    distinct: dict[str, pl.Series] | None = None,
    unmark: bool = False,
    people: pl.Series | None = None,
) -> pl.DataFrame:
    """Unmarks text our CSV writer marked (`unmark`), strips spaces around text cells and treats blank
    cells as empty. Both are decided on the distinct values of each column, found once: KPI files repeat
    the same ids, periods and names millions of times, and exports rarely have such cells.

    Employee ids that are all among `people` (the ids of employees.csv, tidied and checked) need no
    distinct values of their own: each is exactly a checked id, so it is neither padded, blank nor marked,
    passes the id checks and refers to someone. Looking each up costs a third of finding the distinct
    ids of a million rows. An id that looks marked itself is the exception, found the long way."""
    text = [c for c, t in df.schema.items() if t in (pl.String, pl.Categorical)]
    if (
        people is not None
        and "employee_id" in text
        and not (unmark and is_marked(people))
        and df.select(pl.col("employee_id").is_in(people.implode()).all()).item()
    ):
        text.remove("employee_id")
        if distinct is not None:
            distinct["employee_id"] = people
    # One query for all the columns, so Polars finds their distinct values side by side.
    uniques = df.select(pl.col(c).unique().implode() for c in text) if text else pl.DataFrame()
    values = {c: uniques.get_column(c)[0].alias(c) for c in text}
    marked = [c for c in text if unmark and is_marked(values[c])]
    if marked:  # the distinct values change: found again for those columns (almost never needed)
        df = csv_unmarked(df, marked)
        values |= {c: df.get_column(c).unique() for c in marked}
    padded = []
    for c in text:
        if values[c].cast(pl.String).str.contains(r"^\s|\s$|^$").any():
            padded.append(c)
        elif distinct is not None:
            distinct[c] = values[c]
    if not padded:
        return df
    return df.with_columns(pl.col(padded).cast(pl.String).str.strip_chars().replace("", None))


def _convert(
    name: str, col: str, s: pl.Series, distinct: pl.Series | None = None
) -> tuple[pl.Series, str | None]:
    """The column in its schema type, with null where a cell is invalid, and what was expected there
    (None when the column needs no check). `distinct`: the column's distinct values, when known."""
    dtype = SCHEMAS[name][col]
    if s.dtype == dtype and dtype != pl.String:
        return s, None  # parsed by Polars already
    if name == "employees" and col == "education":
        return _words(s, EDUCATION_WORDS), "one of " + " ".join(dict.fromkeys(EDUCATION_WORDS))
    if name == "employees" and col == "status":
        value = pl.when(s.is_null()).then(pl.lit("regular")).otherwise(_words(s, STATUS_WORDS))
        return pl.select(value).to_series(), "one of " + " ".join(STATUS_WORDS)
    if name == "assignments" and col == "kind":
        value = pl.when(s.is_null()).then(pl.lit(DEFAULTS[name, col])).when(s.is_in(ASSIGNMENT_KINDS)).then(s)
        return pl.select(value).to_series(), "one of " + " ".join(ASSIGNMENT_KINDS)
    if dtype == pl.Categorical:
        return s.cast(dtype), None  # periods are checked by _with_period, once per distinct period
    if dtype == pl.Date:
        u = (s.unique() if distinct is None else distinct).cast(pl.String)
        if s.dtype == pl.String and u.drop_nulls().str.contains(_ISO).all():
            # The common case, every cell written YYYY-MM-DD: parsed as it stands, no lookup per row.
            return s.str.to_date("%Y-%m-%d", strict=False), _EXPECTED[pl.Date]
        v = pl.col("v").cast(pl.String)
        forms = [
            pl.when(v.str.contains(pattern)).then(v.str.slice(0, 10).str.to_date(form, strict=False))
            for pattern, form in DATE_FORMS
        ]
        parsed = pl.DataFrame({"v": u}).select(pl.coalesce(forms)).to_series()
        return s.cast(pl.String).replace_strict(u, parsed, default=None), _EXPECTED[pl.Date]
    if dtype == pl.Float64:
        return s.cast(pl.Float64, strict=False), _EXPECTED[pl.Float64]
    if dtype == pl.Int32:
        f = s.cast(pl.Float64, strict=False)
        # Out of the Int32 range is as invalid as a fraction (null, reported), never an exception.
        whole = pl.select(pl.when(f == f.round()).then(f)).to_series()
        return whole.cast(pl.Int32, strict=False), _EXPECTED[pl.Int32]
    return s, None


def _words(s: pl.Series, words: dict[str, str]) -> pl.Series:
    return s.replace_strict(words, default=None, return_dtype=pl.String)


def _with_period(df: pl.DataFrame) -> pl.DataFrame:
    """Adds period_kind and seq. Each distinct period is parsed once and looked up by its code in an Enum
    (a few dozen periods over millions of rows; a join would copy the whole frame)."""
    periods = df.select(pl.col("period").unique().drop_nulls().cast(pl.String).sort())
    parts = pl.col("period").str.extract_groups(PERIOD)
    y = parts.struct.field("1").cast(pl.Int32)
    m, q, h = (parts.struct.field(i).cast(pl.Int32) for i in ("2", "3", "4"))
    parsed = periods.with_columns(
        period_kind=pl.when(m.is_not_null())
        .then(pl.lit("M"))
        .when(q.is_not_null())
        .then(pl.lit("Q"))
        .when(h.is_not_null())
        .then(pl.lit("H"))
        .when(y.is_not_null())
        .then(pl.lit("Y"))
        .cast(PERIOD_KIND),
        seq=pl.coalesce(
            ordinal("M", y, m - 1), ordinal("Q", y, q - 1), ordinal("H", y, h - 1), ordinal("Y", y)
        ).cast(pl.Int32),
    )
    codes = df.get_column("period").cast(pl.Enum(parsed.get_column("period").to_list())).to_physical()
    return df.with_columns(
        period_kind=parsed.get_column("period_kind").gather(codes), seq=parsed.get_column("seq").gather(codes)
    )


def _report(problems: list[Problem], file: str, col: str, bad: pl.DataFrame, expected: str) -> None:
    for row, got in bad.head(_MAX_ROWS_REPORTED).select("_row", col).iter_rows():
        problems.append(Problem(file, row, col, expected, got))


def _check_references(
    path: Path,
    frames: dict[str, pl.DataFrame],
    problems: list[Problem],
    distinct: dict[str, pl.Series] | None = None,
) -> None:
    known = frames["employees"].select("employee_id")
    for name in ("assignments", "evaluations", "metrics", "events"):
        df = frames.get(name)
        if df is None or df.is_empty():
            continue
        # The distinct ids first (far fewer than the rows): found while tidying, or streamed here (no
        # copy of the column is made).
        given = (distinct or {}).get(name)
        ids = given.to_frame().lazy() if given is not None else df.lazy().select("employee_id").unique()
        unknown = ids.join(known.lazy(), on="employee_id", how="anti").collect(engine="streaming")
        if unknown.is_empty():
            continue
        rows = (
            df.select("employee_id", ROW)
            if ROW in df.columns
            else df.select("employee_id").with_row_index(ROW, offset=2)
        )
        orphans = rows.join(unknown, on="employee_id", how="semi").sort("_row")
        _report(problems, _file(path, name), "employee_id", orphans, "an employee_id listed in employees.csv")
