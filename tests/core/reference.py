"""A second, deliberately simple evaluator: one employee at a time, in plain Python.

It is written from docs/policy-language.md ("What the numbers mean"), not from the engine, and shares
none of the engine's code: only the policy model (what to compute) and the data set's frames, turned
into lists of dicts. The property tests in test_engine_vs_reference.py run both on random data and
compare every result; bench/bench_evaluate.py times it against the engine.

`evaluate_reference(policy, data, as_of)` returns the shape of `report.to_json_obj(ev, "zh")`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rungs.core.interchange.dataset import EDUCATION_LEVELS, Dataset
from rungs.core.policy import model as m

SYMBOLS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}


# ---- calendar --------------------------------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months: 2026-01-15 → 2026-12-14 is 10, 2026-01-01 → 2026-12-01 is 11."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if start.day > end.day:  # the last month is not complete yet
        months -= 1
    return months


def months_back(d: dt.date, n: int) -> dt.date:
    """The date n months before d (31 March - 1 month = 28/29 February)."""
    year, month = d.year, d.month - n
    while month < 1:
        month += 12
        year -= 1
    day = d.day
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def period_number(kind: str, d: dt.date) -> int:
    """The ordinal of the period containing d, numbered as dataset.py numbers `seq`."""
    if kind == "M":
        return d.year * 12 + d.month - 1
    if kind == "Q":
        return d.year * 4 + (d.month - 1) // 3
    if kind == "H":
        return d.year * 2 + (d.month - 1) // 6
    return d.year


def rank_min(values: dict[str, float], lower_is_better: bool) -> dict[str, int]:
    """1 + the number of others strictly better: ties share the best rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=not lower_is_better)  # best first
    first_at: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first_at.setdefault(v, i + 1)
    return {who: first_at[v] for who, v in values.items()}


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


# ---- the evaluator -----------------------------------------------------------------------------------


class Reference:
    def __init__(self, policy: m.Policy, data: Dataset, as_of: dt.date) -> None:
        self.policy, self.as_of = policy, as_of
        self.employees = {e["employee_id"]: e for e in data.employees.to_dicts()}
        self.assignments: dict[str, list[dict]] = {}
        for a in data.assignments.to_dicts():
            self.assignments.setdefault(a["employee_id"], []).append(a)
        self.evaluations: dict[str, list[dict]] = {}
        for e in data.evaluations.to_dicts():
            self.evaluations.setdefault(e["employee_id"], []).append(e)
        self.metrics: dict[str, list[dict]] = {}
        for x in data.metrics.to_dicts():
            self.metrics.setdefault(x["employee_id"], []).append(x)
        self.events: dict[str, list[dict]] = {}
        for i, x in enumerate(data.events.to_dicts()):
            x["row"] = i
            self.events.setdefault(x["employee_id"], []).append(x)
        self.positions = data.positions.to_dicts()
        self.cache: dict[Any, Any] = {}

    # -- who is who ------------------------------------------------------------------------------

    def active(self, emp_id: str) -> bool:
        status = self.employees[emp_id]["status"]
        return status != "left"

    def position(self, emp_id: str, track: str) -> dict | None:
        """The current (non-acting) level on a track: its level, when the stretch at it began, and its
        department. None when the employee holds no level there on the evaluation date."""
        rows = [
            a
            for a in self.assignments.get(emp_id, [])
            if a["track"] == track and a["kind"] != "acting" and a["start_date"] <= self.as_of
        ]
        rows.sort(key=lambda a: a["start_date"])
        current = None
        for i, a in enumerate(rows):
            if a["end_date"] is None or a["end_date"] > self.as_of:
                current = i
        if current is None:
            return None
        first = current
        while first > 0 and rows[first - 1]["level"] == rows[current]["level"]:
            first -= 1
        row = rows[current]
        department = (
            row["department"] if row["department"] is not None else self.employees[emp_id]["department"]
        )
        return {
            "level": row["level"],
            "start": rows[first]["start_date"],
            "department": department,
            "rows": rows,
        }

    def acting(self, emp_id: str, track: str) -> dict | None:
        """The open acting assignment on the track (the latest started one)."""
        rows = [
            a
            for a in self.assignments.get(emp_id, [])
            if a["track"] == track
            and a["kind"] == "acting"
            and a["start_date"] <= self.as_of
            and (a["end_date"] is None or a["end_date"] > self.as_of)
        ]
        if not rows:
            return None
        rows.sort(key=lambda a: a["start_date"])
        return rows[-1]

    def group(self, emp_id: str, within: str) -> Any:
        return self.employees[emp_id][within]

    def ranked_groups(self, within: str) -> list[list[str]]:
        """Active employees by team/department; without one, nobody to be ranked among (rank missing)."""
        groups: dict[Any, list[str]] = {}
        for e in sorted(self.employees):
            if self.active(e) and self.group(e, within) is not None:
                groups.setdefault(self.group(e, within), []).append(e)
        return list(groups.values())

    # -- results -----------------------------------------------------------------------------------

    def results(self) -> list[dict]:
        out = []
        for emp_id in sorted(self.employees):
            if not self.active(emp_id):
                continue
            for rule in self.policy.rules:
                res = self.rule_result(emp_id, rule)
                if res is not None:
                    out.append(res)
        return out

    def rule_result(self, emp_id: str, rule: m.Rule) -> dict | None:
        pos = self.position(emp_id, rule.track)
        if pos is None or pos["level"] not in rule.levels:
            return None
        subject = {
            "id": emp_id,
            "rule": rule,
            "pos": pos,
            "to_level": rule.to_level,
            "acting_start": None,
            "acting_gap": None,
        }
        acting = self.acting(emp_id, rule.track)
        if acting is not None:
            subject["acting_start"] = acting["start_date"]
        if rule.kind == "acting_conversion":
            if acting is None:
                return None
            subject["to_level"] = acting["level"]
            path = self.policy.tracks[rule.track].path
            if acting["level"] in path and pos["level"] in path:
                subject["acting_gap"] = float(path.index(acting["level"]) - path.index(pos["level"]))
        criteria = [self.criterion(subject, c) for c in rule.criteria]
        passed = [c["passed"] for c in criteria]
        eligible = all(passed) if rule.match == "all" else any(passed)
        return {
            "employee_id": emp_id,
            "kind": rule.kind,
            "rule": rule.id,
            "label": rule.label.get("zh"),
            "track": rule.track,
            "from_level": pos["level"],
            "to_level": subject["to_level"],
            "eligible": eligible,
            "criteria": criteria,
        }

    # -- criteria ----------------------------------------------------------------------------------

    def criterion(self, subject: dict, c: m.Criterion) -> dict:
        b = c.block
        if isinstance(b, m.AllOf | m.AnyOf | m.NotOf):
            kids = [
                self.criterion(subject, k) for k in (b.children if not isinstance(b, m.NotOf) else (b.child,))
            ]
            n_passed = sum(1 for k in kids if k["passed"])
            if isinstance(b, m.AllOf):
                passed, required = n_passed == len(kids), f"{len(kids)} of {len(kids)}"
            elif isinstance(b, m.AnyOf):
                passed, required = n_passed >= 1, f"≥ 1 of {len(kids)}"
            else:
                passed, required = n_passed == 0, "0 of 1"
            return {
                "id": c.id,
                "label": c.label.get("zh"),
                "passed": passed,
                "actual": n_passed,
                "required": required,
                "criteria": kids,
            }
        assert c.compare is not None
        value = self.measure(subject, b)
        op, want = c.compare.op, c.compare.value
        if isinstance(want, m.Cases):
            chosen = want.default
            for when, v in want.cases:
                if self.criterion(subject, when)["passed"]:
                    chosen = v
                    break
            required: Any = self.show(self.as_number(chosen, c.value_kind), c.value_kind)
            required = required if op == ">=" else f"{SYMBOLS[op]} {required}"
            passed = self.holds(value, op, self.as_number(chosen, c.value_kind))
        elif op == "in":
            required = list(want)
            passed = value is not None and value in [self.as_number(v, c.value_kind) for v in want]
        else:
            required = want if op == ">=" else f"{SYMBOLS[op]} {want}"
            passed = self.holds(value, op, self.as_number(want, c.value_kind))
        return {
            "id": c.id,
            "label": c.label.get("zh"),
            "passed": passed,
            "actual": self.show(value, c.value_kind),
            "required": required,
        }

    def as_number(self, value: Any, kind: str) -> Any:
        """Grades and education compare by position in their scale; numbers as floats; words as they are."""
        if kind.startswith("grade:"):
            return float(self.policy.grades[kind[6:]].index(value))
        if kind == "education":
            return float(EDUCATION_LEVELS.index(value))
        if kind == "number":
            return float(value)
        return value

    def show(self, value: Any, kind: str) -> Any:
        if value is None:
            return None
        if kind.startswith("grade:"):
            return self.policy.grades[kind[6:]][int(value)]
        if kind == "education":
            return EDUCATION_LEVELS[int(value)]
        if isinstance(value, float):
            return int(value) if value == int(value) else round(value, 4)
        return value

    @staticmethod
    def holds(value: Any, op: str, want: Any) -> bool:
        if value is None:
            return False  # missing data fails
        if op == ">=":
            return value >= want
        if op == "<=":
            return value <= want
        if op == ">":
            return value > want
        if op == "<":
            return value < want
        if op == "==":
            return value == want
        if op == "!=":
            return value != want
        if op == "in":
            return value in want
        raise ValueError(op)

    def holds_where(self, value: float, where: m.Compare, kind: str) -> bool:
        if where.op == "in":
            return value in [self.as_number(v, kind) for v in where.value]
        return self.holds(value, where.op, self.as_number(where.value, kind))

    # -- building blocks -----------------------------------------------------------------------------

    def measure(self, subject: dict, b: m.Block) -> Any:
        if isinstance(b, m.Tenure):
            return self.tenure(subject, b)
        if isinstance(b, m.Consecutive):
            return self.consecutive(subject, b)
        if isinstance(b, m.Aggregate):
            return self.aggregate(subject, b)
        if isinstance(b, m.Latest):
            values = self.series(subject["id"], b.of, b.period)
            return values[max(values)] if values else None
        if isinstance(b, m.Change):
            return self.change(subject, b)
        if isinstance(b, m.Rank):
            return self.rank(subject, b)
        if isinstance(b, m.Count):
            return self.count(subject, b)
        if isinstance(b, m.LatestEvent):
            return self.latest_event(subject, b)
        if isinstance(b, m.Attribute):
            return self.attribute(subject, b)
        if isinstance(b, m.Vacancy):
            return self.vacancy(subject, b)
        raise TypeError(b)

    def tenure(self, subject: dict, b: m.Tenure) -> float | None:
        emp, pos = self.employees[subject["id"]], subject["pos"]
        if b.of == "level":
            start = pos["start"]
        elif b.of == "company":
            start = emp["hire_date"]
        elif b.of == "regularized":
            start = emp["regularized_on"]
            if start is None and emp["status"] == "regular" and b.track is not None:
                start = self.regularized_from_history(subject["id"], emp, b)
        elif b.of == "acting":
            start = subject["acting_start"]
        elif b.of == "department":
            start = self.department_entered(subject)
        elif b.of == "last_pay_step":
            steps = [
                e["date"]
                for e in self.events.get(subject["id"], [])
                if e["type"] == "pay_step" and e["date"] < self.as_of
            ]
            start = max(steps) if steps else pos["start"]
        else:  # level_total / level_in_department: every row at the current level, summed
            total = 0
            for row in pos["rows"]:
                if row["level"] != pos["level"]:
                    continue
                dept = row["department"] if row["department"] is not None else emp["department"]
                if b.of == "level_in_department" and dept != pos["department"]:
                    continue
                end = self.as_of if row["end_date"] is None else min(row["end_date"], self.as_of)
                total += months_between(row["start_date"], end)
            return float(total)
        return None if start is None else float(months_between(start, self.as_of))

    def department_entered(self, subject: dict) -> dt.date | None:
        """The start of the rows in the current post's department after the latest row elsewhere; with no
        row elsewhere, the hire date if it is earlier."""
        emp, pos = self.employees[subject["id"]], subject["pos"]

        def dept(row: dict) -> Any:
            return row["department"] if row["department"] is not None else emp["department"]

        elsewhere = [r["start_date"] for r in pos["rows"] if dept(r) != pos["department"]]
        left = max(elsewhere, default=None)
        here = [
            r["start_date"]
            for r in pos["rows"]
            if dept(r) == pos["department"] and (left is None or r["start_date"] > left)
        ]
        entered = min(here, default=None)
        if entered is not None and left is None and emp["hire_date"] is not None:
            entered = min(entered, emp["hire_date"])
        return entered

    def regularized_from_history(self, emp_id: str, emp: dict, b: m.Tenure) -> dt.date | None:
        """A regular employee with no regularized_on was regularized when their first level on the track
        ended (their second level began), or at hire if their history starts above the first level."""
        rows = sorted(
            (
                a
                for a in self.assignments.get(emp_id, [])
                if a["track"] == b.track and a["kind"] != "acting" and a["start_date"] <= self.as_of
            ),
            key=lambda a: a["start_date"],
        )
        if not rows:
            return None
        if rows[0]["level"] != b.first_level:
            return emp["hire_date"]
        later = [a["start_date"] for a in rows if a["level"] != rows[0]["level"]]
        return min(later) if later else None

    def last_complete(self, kind: str) -> int:
        return period_number(kind, self.as_of) - 1

    def series(self, emp_id: str, of: m.Series | m.RankSeries, kind: str) -> dict[int, float]:
        """{period number: value} over the complete periods that have a value."""
        if isinstance(of, m.RankSeries):
            return self.rank_series(of, kind).get(emp_id, {})
        last = self.last_complete(kind)
        out: dict[int, float] = {}
        if of.source == "metric":
            for x in self.metrics.get(emp_id, []):
                if (
                    x["metric"] == of.metric
                    and x["period_kind"] == kind
                    and x["seq"] <= last
                    and x["value"] is not None
                ):
                    out[x["seq"]] = float(x["value"])
            return out
        for e in self.evaluations.get(emp_id, []):
            if e["period_kind"] != kind or e["seq"] > last or e[of.source] is None:
                continue
            if of.source == "grade":
                words = self.policy.grades[of.scale or ""]
                if e["grade"] in words:
                    out[e["seq"]] = float(words.index(e["grade"]))
            else:
                out[e["seq"]] = float(e[of.source])
        return out

    def rank_series(self, of: m.RankSeries, kind: str) -> dict[str, dict[int, float]]:
        """Every active employee's rank in each complete period, within their team/department."""
        key = ("rank_series", of, kind)
        if key in self.cache:
            return self.cache[key]
        people = [e for e in sorted(self.employees) if self.active(e)]
        part_values = [{e: self.series(e, part, kind) for e in people} for part in of.parts]
        periods = sorted({s for pv in part_values for vals in pv.values() for s in vals})
        out: dict[str, dict[int, float]] = {}
        for seq in periods:
            for members in self.ranked_groups(of.within):
                ranks = []
                for part, pv in zip(of.parts, part_values, strict=True):
                    values = {e: pv[e][seq] for e in members if seq in pv[e]}
                    ranks.append(rank_min(values, part.lower_is_better))
                for e, r in self.combine(ranks, of.combine).items():
                    out.setdefault(e, {})[seq] = float(r)
        self.cache[key] = out
        return out

    @staticmethod
    def combine(ranks: list[dict[str, int]], how: str) -> dict[str, float]:
        """Only employees ranked on every measure are ranked on the combination."""
        everyone = [e for e in ranks[0] if all(e in r for r in ranks)]
        if len(ranks) == 1:
            return {e: ranks[0][e] for e in everyone}
        if how == "each":
            return {e: max(r[e] for r in ranks) for e in everyone}
        sums = {e: sum(r[e] for r in ranks) for e in everyone}
        return dict(rank_min(sums, lower_is_better=True))

    def in_window(self, subject: dict, w: m.Window, kind: str, values: dict[int, float]) -> list[float]:
        last = self.last_complete(kind)
        if w.kind == "last":
            first = last - w.n + 1
        elif w.kind == "since_level":
            first = period_number(kind, subject["pos"]["start"])
        else:
            first = min(values, default=0)
        return [values[s] for s in sorted(values) if first <= s <= last]

    def consecutive(self, subject: dict, b: m.Consecutive) -> float | None:
        values = self.series(subject["id"], b.of, b.period)
        if not values:
            return None
        kind = _kind(b.of)
        last = self.last_complete(b.period)
        good = {s for s, v in values.items() if self.holds_where(v, b.where, kind)}
        if b.in_latest_year:  # the longest run among the periods of the latest year with an annual value
            annual = self.series(subject["id"], b.of, "Y")
            per_year = {"M": 12, "Q": 4, "H": 2}[b.period]
            if not annual or not any(s // per_year == max(annual) for s in values):
                return None
            first = max(annual) * per_year
            best = run = 0
            for s in range(first, first + per_year):
                run = run + 1 if s in good else 0
                best = max(best, run)
            return float(best)
        if not b.since_level:
            run, s = 0, last
            while s in good:
                run += 1
                s -= 1
            return float(run)
        best = run = 0
        for s in range(period_number(b.period, subject["pos"]["start"]), last + 1):
            run = run + 1 if s in good else 0
            best = max(best, run)
        return float(best)

    def aggregate(self, subject: dict, b: m.Aggregate) -> float | None:
        values = self.in_window(subject, b.window, b.period, self.series(subject["id"], b.of, b.period))
        if not values:
            return None  # a window without a value is missing data, counts included
        if b.where is not None:
            return float(sum(1 for v in values if self.holds_where(v, b.where, _kind(b.of))))
        return _agg(b.agg, values)

    def change(self, subject: dict, b: m.Change) -> float | None:
        values = self.series(subject["id"], b.of, b.period)
        last = self.last_complete(b.period)
        recent = [v for s, v in values.items() if last - b.n < s <= last]
        before = [v for s, v in values.items() if last - 2 * b.n < s <= last - b.n]
        if not recent or not before:
            return None
        return mean(recent) - mean(before)

    def rank(self, subject: dict, b: m.Rank) -> float | None:
        if b.window is None:  # the rank in the latest complete period the employee has one
            ranks = self.rank_series(m.RankSeries(b.of, b.within, b.combine), b.period).get(subject["id"], {})
            return ranks[max(ranks)] if ranks else None
        key = ("rank", b)
        if key not in self.cache:
            table: dict[str, float] = {}
            for members in self.ranked_groups(b.within):
                ranks = []
                for part in b.of:
                    values = {}
                    for e in members:
                        window = self.in_window(
                            {"pos": None}, b.window, b.period, self.series(e, part, b.period)
                        )
                        if window:
                            values[e] = _agg(b.agg, window)
                    ranks.append(rank_min(values, part.lower_is_better))
                table.update(self.combine(ranks, b.combine))
            self.cache[key] = table
        r = self.cache[key].get(subject["id"])
        return None if r is None else float(r)

    def count(self, subject: dict, b: m.Count) -> float:
        emp_id = subject["id"]
        mine = [e for e in self.events.get(emp_id, []) if e["date"] < self.as_of]
        entered = self.department_entered(subject) if b.window.kind == "since_department" else None
        offsets = {
            (e["ref"], e["date"].year) for e in mine if e["type"] == "penalty_offset" and e["ref"] is not None
        }
        offset_refs = {r for r, _ in offsets}
        picked = []
        for e in mine:
            if e["type"] != b.event:
                continue
            if b.refs and e["ref"] not in b.refs:
                continue
            if e["ref"] is not None and e["ref"] in b.exclude_refs:
                continue
            w = b.window
            if w.kind == "months" and e["date"] < months_back(self.as_of, w.n):
                continue
            if w.kind == "previous_year" and e["date"].year != self.as_of.year - 1:
                continue
            if w.kind == "since_level" and e["date"] < subject["pos"]["start"]:
                continue
            if w.kind == "since_department" and (entered is None or e["date"] < entered):
                continue
            offset = (e["ref"], e["date"].year) in offsets if b.offset_same_year else e["ref"] in offset_refs
            if b.unoffset and e["ref"] is not None and offset:
                continue
            picked.append(e)
        if b.measure == "sum":
            allowed = dict(b.allowances)
            total = sum(e["value"] for e in picked if e["value"] is not None and e["ref"] not in allowed)
            for ref, days in allowed.items():  # each entitlement covers that many days; beyond it they count
                taken = sum(e["value"] for e in picked if e["ref"] == ref and e["value"] is not None)
                total += max(taken - days, 0)
            return float(total)
        if b.measure == "distinct_refs":
            return float(len({e["ref"] for e in picked if e["ref"] is not None}))
        return float(len(picked))

    def latest_event(self, subject: dict, b: m.LatestEvent) -> float | None:
        found = [
            e
            for e in self.events.get(subject["id"], [])
            if e["type"] == b.event and e["ref"] == b.ref and e["date"] < self.as_of
        ]
        if getattr(b, "since_level", False):  # only attempts made at the current level
            found = [e for e in found if e["date"] >= subject["pos"]["start"]]
        if not found:
            return None
        latest = max(found, key=lambda e: (e["date"], e["row"]))  # same date: the later row
        return latest["value"]

    def attribute(self, subject: dict, b: m.Attribute) -> Any:
        emp = self.employees[subject["id"]]
        if b.name == "acting_gap":
            return subject["acting_gap"]
        if b.name == "age":
            birth = emp["birth_date"]
            return None if birth is None else float(months_between(birth, self.as_of) // 12)
        if b.name == "education":
            code = emp["education"]
            return float(EDUCATION_LEVELS.index(code)) if code in EDUCATION_LEVELS else None
        return emp.get(b.name)

    def vacancy(self, subject: dict, b: m.Vacancy) -> float | None:
        """Posts are where positions.csv puts them: a row with a team is that team's, one with only a
        department that department's, one with neither the company's; the subject's vacancy is that of
        their own team's rows, else their own department's, else the company's (SEEDS: 编制)."""
        track = subject["rule"].track
        rows = [p for p in self.positions if p["level"] == b.level and p["track"] in (None, track)]
        if not rows:
            return None
        me = self.employees[subject["id"]]
        holders = [
            self.employees[e]
            for e in self.employees
            if self.active(e) and (pos := self.position(e, track)) is not None and pos["level"] == b.level
        ]
        team_rows = [p for p in rows if p["team"] is not None and p["team"] == me["team"]]
        dept_rows = [
            p
            for p in rows
            if p["team"] is None and p["department"] is not None and p["department"] == me["department"]
        ]
        company_rows = [p for p in rows if p["team"] is None and p["department"] is None]
        for scoped, key in ((team_rows, "team"), (dept_rows, "department"), (company_rows, None)):
            if scoped:
                held = sum(1 for h in holders if key is None or h[key] == me[key])
                return float(sum(p["headcount"] for p in scoped if p["headcount"] is not None) - held)
        return 0.0


def _kind(of: m.Series | m.RankSeries) -> str:
    if isinstance(of, m.Series) and of.source == "grade":
        return f"grade:{of.scale}"
    return "number"


def _agg(agg: str, values: list[float]) -> float:
    if agg == "mean":
        return mean(values)
    if agg == "sum":
        return float(sum(values))
    if agg == "min":
        return min(values)
    if agg == "max":
        return max(values)
    return float(len(values))  # count: the periods with a value


def evaluate_reference(policy: m.Policy, data: Dataset, as_of: dt.date) -> dict[str, Any]:
    """Every rule for every active employee at one of its levels, in the shape of report.to_json_obj."""
    ref = Reference(policy, data, as_of)
    return {
        "policy": policy.id,
        "policy_version": policy.version,
        "as_of": as_of.isoformat(),
        "results": ref.results(),
    }
