"""Memory taken by reading a data set workbook (.xlsx), measured in a fresh process per file.

  python bench/xlsx_memory.py [--employees 60 200 1000]

Writes a synthetic data set as .xlsx for each size (and two tiny workbooks with one stray cell far
away), then reads each in a child process with `read_dataset` and prints the file size, the rows read
(-1: refused as invalid) and the child's peak resident memory above its baseline (the interpreter with
the reader imported and nothing read yet).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

# Linux: VmRSS is the memory in use, VmHWM its peak; writing 5 to clear_refs resets the peak, so what the
# imports took does not count.
CHILD = """
import sys
sys.path[:0] = [{src!r}]
from rungs.core.interchange.errors import DataError
from rungs.core.interchange.reader import read_dataset

def kb(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))

with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
base = kb("VmRSS:")
try:
    data = read_dataset({path!r})
    rows = sum(data.frame(n).height for n in ("employees", "evaluations", "metrics", "events"))
except DataError:  # a file made to be refused still has to be read to find that out
    rows = -1
print(base, kb("VmHWM:"), rows)
"""


def measure(path: Path) -> tuple[int, int, int]:
    code = CHILD.format(src=str(ROOT / "src"), path=str(path))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    base, peak, rows = (int(x) for x in out.split())
    return base, peak, rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--employees", type=int, nargs="+", default=[60, 200, 1000])
    args = ap.parse_args()
    from rungs.core.interchange.writer import write_dataset
    from rungs.core.synth import generate

    work = Path(tempfile.mkdtemp(prefix="rungs-bench-xlsx-"))
    print(f"{'workbook':>24} {'file KB':>9} {'rows':>9} {'peak MB over baseline':>22}")
    books = [
        (f"{n} employees", write_dataset(generate(n, as_of=dt.date(2026, 12, 1), seed=1), work / f"{n}.xlsx"))
        for n in args.employees
    ]
    # One stray cell far down and right: the sheet's extent is a million rows, its data two rows.
    books += [
        (f"stray cell at {cell}", stray(work / f"stray-{cell}.xlsx", cell))
        for cell in ("J1048576", "CW1048576")
    ]
    for label, book in books:
        base, peak, rows = measure(book)
        print(f"{label:>24} {book.stat().st_size / 1024:>9.0f} {rows:>9} {(peak - base) / 1024:>22.0f}")


def stray(path: Path, cell: str) -> Path:
    import xlsxwriter

    with xlsxwriter.Workbook(path) as book:
        sheet = book.add_worksheet("employees")
        sheet.write_row(0, 0, ["employee_id", "name", "hire_date"])
        sheet.write_row(1, 0, ["E1", "张三", "2024-03-01"])
        sheet.write(cell, "x")
    return path


if __name__ == "__main__":
    main()
