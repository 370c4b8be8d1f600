"""Workbooks are read as a stream of rows: memory follows the data, not the sheet's extent (issue 9: a 144 KB
.xlsx added 224 MB to the server)."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset

SRC = Path(__file__).resolve().parents[3] / "src"

PEAK = """
import sys
sys.path[:0] = [{src!r}]
from rungs.core.interchange.reader import read_dataset

def kb(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))

with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # resets the peak (VmHWM) to what is in use now
base = kb("VmRSS:")
data = read_dataset({path!r})
print(data.employees.height, (kb("VmHWM:") - base) // 1024)
"""


def stray_cell_book(path: Path, cell: str) -> Path:
    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet("employees")
        sheet.write_row(0, 0, ["employee_id", "name", "hire_date"])
        sheet.write_row(1, 0, ["E1", "张三", "2024-03-01"])
        sheet.write(cell, "x")
    return path


def test_one_stray_cell_far_away_costs_no_memory_and_is_not_read(tmp_path):
    # A 5 KB file whose sheet spans a million rows and 101 columns: read whole, that grid took 3.6 GB.
    book = stray_cell_book(tmp_path / "stray.xlsx", "CW1048576")
    assert book.stat().st_size < 10_000
    out = subprocess.run(
        [sys.executable, "-c", PEAK.format(src=str(SRC), path=str(book))], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr[-2000:]
    rows, peak_mb = (int(x) for x in out.stdout.split())
    assert rows == 1 and peak_mb < 100


def test_cells_right_of_the_header_are_named_in_a_warning(tmp_path):
    data = read_dataset(stray_cell_book(tmp_path / "stray.xlsx", "E3"))
    assert data.employees.get_column("employee_id").to_list() == ["E1"]
    assert any("right of the last named column" in w for w in data.warnings)


def test_workbook_cells_read_as_a_csv_file_would_have_them(tmp_path):
    path = tmp_path / "typed.xlsx"
    with xlsxwriter.Workbook(path) as book:
        date = book.add_format({"num_format": "yyyy-mm-dd"})
        emp = book.add_worksheet("employees")
        emp.write_row(0, 0, ["employee_id", "name", "hire_date", "team"])
        emp.write_number(1, 0, 1001)  # an id typed as a number: 1001, not 1001.0
        emp.write_string(1, 1, "张三")
        emp.write_datetime(1, 2, dt.datetime(2024, 3, 1), date)  # an Excel date cell
        emp.write_row(2, 0, ["E2", "李四", "2024/05/06", None])
        emp.write_blank(5, 3, None, date)  # a formatted blank cell below the data
        ev = book.add_worksheet("evaluations")
        ev.write_row(0, 0, ["employee_id", "period", "score", "rank"])
        ev.write_row(1, 0, ["1001", "2026-01", 91.5, 3])
        ev.write_row(2, 0, [])  # a blank row between rows: kept, so row numbers are the sheet's
        ev.write_row(3, 0, ["E2", "2026-01", 88, 1])
    with pytest.raises(DataError) as exc:  # the blank row 3 has no employee_id or period
        read_dataset(path)
    assert sorted({(p.row, p.column) for p in exc.value.problems}) == [(3, "employee_id"), (3, "period")]
    data = read_dataset(book_without_blank_row(path))
    assert data.employees.select("employee_id", "hire_date").rows() == [
        ("1001", dt.date(2024, 3, 1)),
        ("E2", dt.date(2024, 5, 6)),
    ]
    assert data.evaluations.select("employee_id", "score", "rank").rows() == [
        ("1001", 91.5, 3),
        ("E2", 88.0, 1),
    ]


def book_without_blank_row(path: Path) -> Path:
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["evaluations"].delete_rows(3)
    book.save(out := path.with_name("fixed.xlsx"))
    return out
