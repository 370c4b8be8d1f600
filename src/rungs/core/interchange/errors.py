"""Problems found in a data set: each names the file, the row, the column and what was expected."""

from __future__ import annotations

from dataclasses import dataclass

# Enough to fix a file in one go without flooding a terminal; the count of the rest is still given.
SHOWN = 50


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based, header = row 1 (as a spreadsheet shows it); None = the whole file
    column: str | None
    expected: str
    got: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", 第{self.row}行 row {self.row}"
        if self.column is not None:
            where += f", 列 column {self.column}"
        got = "" if self.got is None else f", got {self.got!r}"
        return f"{where}: expected {self.expected}{got}"


class DataError(Exception):
    """An invalid data set. Nothing was loaded; `problems` lists everything found, in file and row order."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = [str(p) for p in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(f"… and {len(problems) - SHOWN} more problems / 另有 {len(problems) - SHOWN} 处问题")
        super().__init__(f"{len(problems)} problem(s) in the data set / 数据有误:\n  " + "\n  ".join(lines))
