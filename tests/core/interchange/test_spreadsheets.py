"""Every spreadsheet and CSV file Rungs writes: no live formulas, numbers as numbers, and an export
re-imports to exactly the same data (issue 9: names beginning with "=" became formulas, and re-importing
the export replaced two names with "0")."""

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from rungs.core.evaluate_cli import main as evaluate_main
from rungs.core.interchange.dataset import Dataset
from rungs.core.interchange.reader import read_dataset
from rungs.core.interchange.spreadsheet import csv_safe
from rungs.core.interchange.writer import write_dataset

ROOT = Path(__file__).resolve().parents[3]
# OWASP's formula triggers, a value that already begins with an apostrophe before one, a plain negative
# number (not a formula, left as it is) and an ordinary name.
NAMES = [
    '=HYPERLINK("http://evil.example","点我")',
    "=cmd|' /C calc'!A0",
    "+86 138",
    "-不是数字",
    "@SUM(A1)",
    "'=还是文本",
    "''+两个撇号",
    "-3",
    "'普通撇号",
    "张三",
]


def dataset() -> Dataset:
    n = len(NAMES)
    ids = [f"E{i}" for i in range(n)]
    employees = pl.DataFrame(
        {
            "employee_id": ids,
            "name": NAMES,
            "hire_date": [dt.date(2024, 3, 1)] * n,
            "team": ["=T1"] * n,
            "status": ["regular"] * n,
        },
    )
    evaluations = pl.DataFrame(
        {
            "employee_id": ids,
            "period": ["2026-01"] * n,
            "score": [-1.5 + i for i in range(n)],
            "grade": ["=A"] * n,
        }
    )
    events = pl.DataFrame(
        {
            "employee_id": ids[:2],
            "date": [dt.date(2026, 1, 5)] * 2,
            "type": ["award"] * 2,
            "note": ["@x", "-y"],
        }
    )
    return read_back(Dataset(employees=employees, evaluations=evaluations, events=events))


def read_back(data: Dataset) -> Dataset:
    """The data set as the reader gives it (all columns, reader's dtypes), the form an export starts from."""
    import tempfile

    folder = Path(tempfile.mkdtemp()) / "set"
    for name in ("employees", "evaluations", "events"):
        folder.mkdir(exist_ok=True)
        csv_safe(data.frame(name)).write_csv(folder / f"{name}.csv", date_format="%Y-%m-%d")
    return read_dataset(folder)


@pytest.mark.parametrize("target", ["export", "export.xlsx"])
def test_an_export_reimports_to_exactly_the_same_values(tmp_path, target):
    before = dataset()
    assert before.employees.get_column("name").to_list() == NAMES  # the reader took them as written
    after = read_dataset(write_dataset(before, tmp_path / target))
    for name in ("employees", "evaluations", "events"):
        assert after.frame(name).equals(before.frame(name)), name


def test_formula_text_in_csv_gets_one_apostrophe_and_numbers_none(tmp_path):
    folder = write_dataset(dataset(), tmp_path / "export")
    names = (folder / "employees.csv").read_text(encoding="utf-8")
    assert "\n'=HYPERLINK" not in names  # quoted by the CSV writer, but marked inside the quotes
    rows = pl.read_csv(folder / "employees.csv", infer_schema=False).get_column("name").to_list()
    assert rows == [
        '\'=HYPERLINK("http://evil.example","点我")',
        "'=cmd|' /C calc'!A0",
        "'+86 138",
        "'-不是数字",
        "'@SUM(A1)",
        "''=还是文本",
        "'''+两个撇号",
        "-3",
        "'普通撇号",
        "张三",
    ]
    scores = pl.read_csv(folder / "evaluations.csv", infer_schema=False).get_column("score").to_list()
    assert scores[0] == "-1.5"  # a number column is never marked


def test_no_workbook_cell_is_a_formula_and_numbers_are_numbers(tmp_path):
    book = openpyxl.load_workbook(write_dataset(dataset(), tmp_path / "export.xlsx"))
    employees = list(book["employees"].iter_rows(min_row=2))
    assert [row[1].value for row in employees] == NAMES
    assert {c.data_type for row in employees for c in row if c.value is not None} <= {"s", "d", "n"}
    assert {row[1].data_type for row in employees} == {"s"}  # "-3" is a name here: text, as written
    scores = [row[2] for row in book["evaluations"].iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in scores[:2]] == [(-1.5, "n"), (-0.5, "n")]


# -- rungs evaluate --format xlsx ------------------------------------------------------------------------


def _args(*extra):
    return [
        "--policy",
        str(ROOT / "examples/policies/star-titles.yaml"),
        "--data",
        str(ROOT / "examples/data/star-titles"),
        "--as-of",
        "2026-12-01",
        "--format",
        "xlsx",
        *extra,
    ]


def test_evaluate_xlsx_writes_numbers_as_numbers(tmp_path):
    out = tmp_path / "r.xlsx"
    assert evaluate_main(_args("-o", str(out), "--rows", "criterion")) == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    actual, required = header.index("actual"), header.index("required")
    tenure = next(r for r in rows if r[header.index("criterion")].value == "tenure.months")
    # star-titles: 现职满12个月, E01 has held star2 for 18 months (examples/data/star-titles)
    assert (tenure[required].value, tenure[required].data_type) == (12, "n")
    assert tenure[actual].data_type == "n"
    words = {r[required].value for r in rows[1:] if r[required].data_type == "s"}
    assert "≥ 1 of 2" in words  # words stay words
    assert not any(c.data_type == "f" for r in rows for c in r)


def test_evaluate_xlsx_has_a_row_per_result_by_default(tmp_path):
    out = tmp_path / "r.xlsx"
    assert evaluate_main(_args("-o", str(out))) == 0
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    assert header[-3:] == ("criteria_met", "criteria_total", "explanation")
    body = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert len({(r["employee_id"], r["rule"]) for r in body}) == len(body)  # one row per result
    assert all(isinstance(r["criteria_met"], int) and r["criteria_met"] <= r["criteria_total"] for r in body)


class _Terminal(io.TextIOWrapper):
    def isatty(self):
        return True


def test_evaluate_xlsx_refuses_a_terminal_but_writes_to_a_pipe(monkeypatch, capsys):
    terminal = _Terminal(io.BytesIO(), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", terminal)
    assert evaluate_main(_args()) == 2
    monkeypatch.undo()
    assert terminal.buffer.getvalue() == b""
    assert "-o" in capsys.readouterr().err
    piped = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from rungs.core.evaluate_cli import main; sys.exit(main(sys.argv[1:]))",
            *_args(),
        ],
        capture_output=True,
    )
    assert piped.returncode == 0 and piped.stdout[:2] == b"PK"  # a zip: the workbook
    assert openpyxl.load_workbook(io.BytesIO(piped.stdout)).active.max_row > 1


def test_evaluate_csv_marks_formula_like_text(tmp_path):
    out = tmp_path / "r.csv"
    args = _args("-o", str(out), "--rows", "criterion")
    args[args.index("xlsx")] = "csv"
    assert evaluate_main(args) == 0
    required = pl.read_csv(out, infer_schema=False).get_column("required").to_list()
    # star-titles' chairman waiver requires "= 1": Excel would take it for the formula =1
    assert "'= 1" in required and not any(v.startswith(("=", "+", "@")) for v in required if v)
