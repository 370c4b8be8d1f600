"""A reward cycle: a month YYYY-MM, a quarter YYYY-Qn, a half year YYYY-Hn or a year YYYY."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rungs.core.periods import PER_YEAR, month_label, month_of_seq, month_seq, ordinal

_CYCLE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$")
KIND_WORDS = {
    "M": ("月度", "month"),
    "Q": ("季度", "quarter"),
    "H": ("半年度", "half year"),
    "Y": ("年度", "year"),
}


@dataclass(frozen=True)
class Cycle:
    label: str  # as written: 2026-11, 2026-Q4, 2026-H2, 2026
    kind: str  # M Q H Y
    seq: int  # rungs.core.periods.ordinal of the period in its kind
    first_month: int  # month seq of its first month
    last_month: int  # month seq of its last month

    @property
    def start(self) -> dt.date:
        y, mo = month_of_seq(self.first_month)
        return dt.date(y, mo, 1)

    @property
    def after(self) -> dt.date:
        """The first day after the cycle: the evaluation date of its criteria (so the cycle is the latest
        complete period and `count: {months: 1}` counts the events of a monthly cycle)."""
        y, mo = month_of_seq(self.last_month + 1)
        return dt.date(y, mo, 1)

    def months(self) -> list[int]:
        return list(range(self.first_month, self.last_month + 1))

    def month_labels(self) -> list[str]:
        return [month_label(s) for s in self.months()]


def parse_cycle(text: str) -> Cycle:
    """'2026-11' → the month; raises ValueError (both languages) for anything else."""
    hit = _CYCLE.match(text.strip())
    if not hit:
        raise ValueError(
            f"--cycle：应为 YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY，实际为 {text!r} / "
            f"--cycle: expected YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY, got {text!r}"
        )
    year = int(hit.group(1))
    month, quarter, half = hit.group(2), hit.group(3), hit.group(4)
    if month:
        kind, index = "M", int(month) - 1
    elif quarter:
        kind, index = "Q", int(quarter) - 1
    elif half:
        kind, index = "H", int(half) - 1
    else:
        kind, index = "Y", 0
    span = 12 // PER_YEAR[kind]
    first = month_seq(year, 1) + index * span
    return Cycle(text.strip(), kind, int(ordinal(kind, year, index)), first, first + span - 1)
