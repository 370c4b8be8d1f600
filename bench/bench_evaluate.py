"""Benchmark: the engine on the dual-track-logistics policy against two baselines measured in the same run.

  python bench/bench_evaluate.py DATA_DIR [--as-of 2026-12-01] [--reference]

DATA_DIR is a data set written by bench/gen_data.py. Prints load time, evaluation time (best of 3), peak
memory, and ratios: engine ÷ a hand-written DuckDB query computing the same twelve criteria of the
intermediate → senior promotion (the practical limit), and (with --reference, meant for 10k) the
per-employee reference evaluator of the tests ÷ engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import resource
import sys
import threading
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from rungs.core.engine.evaluate import evaluate, metrics_used  # noqa: E402
from rungs.core.interchange.reader import read_dataset  # noqa: E402
from rungs.core.policy.parse import load_policy  # noqa: E402

POLICY = ROOT / "examples" / "policies" / "dual-track-logistics.yaml"
RULE = "skill.intermediate-senior"


def best_of(n: int, fn):
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def months(start: str, d: dt.date) -> str:
    return (
        f"(({d.year} - year({start})) * 12 + {d.month} - month({start}) "
        f"- CASE WHEN day({start}) > {d.day} THEN 1 ELSE 0 END)"
    )


# DuckDB result column → criterion id in the policy (compared employee by employee, criterion by criterion).
SAME = {
    "tenure": "tenure",
    "edu": "education_or_seniority",
    "leave": "leave",
    "office": "office_skills",
    "learning": "learning_ability",
    "mentored": "mentored",
    "cust": "commendation_customer",
    "cadre": "reserve_cadre",
    "internal": "commendation_internal",
    "work": "workload",
    "annual": "annual_rank",
    "exam": "exam",
}


def duckdb_query(d: dt.date) -> str:
    """The twelve criteria of intermediate → senior, written by hand in SQL."""
    c = d.year * 12 + d.month - 2  # latest complete month
    d12 = f"DATE '{d.replace(year=d.year - 1).isoformat()}'"
    day = f"DATE '{d.isoformat()}'"
    # Two results on one day: the later row of the file counts (as in the engine).
    tie = "date_diff('day', DATE '1970-01-01', date)::BIGINT * 100000000 + _i"
    return f"""
    WITH active AS (SELECT * FROM employees WHERE coalesce(status, 'regular') <> 'left'),
    hist AS (SELECT *, lag(level) OVER w AS prev FROM assignments
             WHERE kind <> 'acting' AND start_date <= {day} WINDOW w AS (PARTITION BY employee_id, track ORDER BY start_date)),
    runs AS (SELECT *, sum(CASE WHEN prev IS NULL OR prev <> level THEN 1 ELSE 0 END)
             OVER (PARTITION BY employee_id, track ORDER BY start_date) AS run FROM hist),
    starts AS (SELECT employee_id, track, min(start_date) AS level_start FROM runs r
               WHERE run = (SELECT max(run) FROM runs r2 WHERE r2.employee_id = r.employee_id AND r2.track = r.track)
               GROUP BY ALL),
    cur AS (SELECT employee_id, track, arg_max(level, start_date) AS level FROM hist
            WHERE end_date IS NULL OR end_date > {day} GROUP BY ALL),
    subj AS (SELECT cur.employee_id, level_start, a.education, a.hire_date FROM cur
             JOIN starts USING (employee_id, track) JOIN active a USING (employee_id)
             WHERE cur.track = 'skill' AND cur.level = 'intermediate'),
    lv AS (SELECT employee_id, ref, coalesce(sum(value), 0) AS days FROM events
           WHERE type = 'leave' AND date >= {d12} AND date < {day} GROUP BY ALL),
    -- marriage, maternity and bereavement leave count only beyond the entitlement (3, 98, 3 days)
    leave AS (SELECT employee_id, sum(CASE ref WHEN 'marriage' THEN greatest(days - 3, 0)
                                          WHEN 'maternity' THEN greatest(days - 98, 0)
                                          WHEN 'bereavement' THEN greatest(days - 3, 0) ELSE days END) AS leave
              FROM lv GROUP BY ALL),
    ev12 AS (SELECT employee_id,
               count(*) FILTER (WHERE type = 'mentored') AS mentored,
               count(*) FILTER (WHERE type = 'commendation_customer') AS cust,
               count(*) FILTER (WHERE type = 'training' AND ref = 'reserve_cadre') AS cadre,
               count(*) FILTER (WHERE type = 'commendation_internal') AS internal
             FROM events WHERE date >= {d12} AND date < {day} GROUP BY ALL),
    latest AS (SELECT employee_id,
                 arg_max(value, {tie}) FILTER (WHERE type = 'attestation' AND ref = 'office_skills') AS office,
                 arg_max(value, {tie}) FILTER (WHERE type = 'attestation' AND ref = 'learning_ability') AS learning,
                 arg_max(value, {tie}) FILTER (WHERE type = 'exam' AND ref = 'technical') AS exam
               FROM events WHERE date < {day} AND type IN ('attestation', 'exam') GROUP BY ALL),
    work AS (SELECT employee_id, avg(value) FILTER (WHERE metric = 'tickets') AS tickets,
                    avg(value) FILTER (WHERE metric = 'amount') AS amount
             FROM metrics WHERE period_kind = 'M' AND seq > {c - 12} AND seq <= {c} GROUP BY ALL),
    yr AS (SELECT e.employee_id, e.seq, rank() OVER (PARTITION BY a.department, e.seq ORDER BY e.score DESC) AS rk
           FROM evaluations e JOIN active a USING (employee_id)
           WHERE e.period_kind = 'Y' AND e.seq <= {d.year - 1} AND e.score IS NOT NULL),
    annual AS (SELECT employee_id, arg_max(rk, seq) AS rk FROM yr GROUP BY ALL)
    SELECT s.employee_id,
      {months("s.level_start", d)} >= CASE WHEN s.education IN ('middle_school', 'high_school', 'secondary_vocational') THEN 18 ELSE 12 END AS tenure,
      (s.education IN ('associate', 'bachelor', 'master', 'doctorate') OR {months("s.hire_date", d)} >= 30) AS edu,
      coalesce(leave.leave, 0) < 23 AS leave, coalesce(latest.office = 1, false) AS office,
      coalesce(latest.learning = 1, false) AS learning,
      coalesce(ev12.mentored, 0) >= 1 AS mentored, coalesce(ev12.cust, 0) >= 1 AS cust,
      coalesce(ev12.cadre, 0) >= 1 AS cadre, coalesce(ev12.internal, 0) >= 1 AS internal,
      coalesce(work.tickets >= 500, false) OR coalesce(work.amount >= 600000, false) AS work,
      coalesce(annual.rk <= 3, false) AS annual, coalesce(latest.exam >= 60, false) AS exam
    FROM subj s LEFT JOIN ev12 USING (employee_id) LEFT JOIN leave USING (employee_id)
      LEFT JOIN latest USING (employee_id)
      LEFT JOIN work USING (employee_id) LEFT JOIN annual USING (employee_id)
    """


def run_duckdb(data, d: dt.date) -> pl.DataFrame:
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for name in ("employees", "assignments", "evaluations", "metrics", "events"):
        df = data.frame(name)
        con.register(name, (df.with_row_index("_i") if name == "events" else df).to_arrow())
    out = pl.from_arrow(con.sql(duckdb_query(d)).to_arrow_table())
    return out.with_columns(eligible=pl.all_horizontal(pl.exclude("employee_id")))


class AnonPeak:
    """Peak anonymous memory (RssAnon), sampled: ru_maxrss also counts the pages of the input CSV files
    that Polars memory-maps, which the kernel can drop at any time, so it overstates what a load needs."""

    def __init__(self) -> None:
        self.peak = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            with open("/proc/self/status") as f:
                kb = next((int(line.split()[1]) for line in f if line.startswith("RssAnon:")), 0)
            self.peak = max(self.peak, kb)
            time.sleep(0.02)

    def mb(self) -> float:
        return self.peak / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--as-of", default="2026-12-01")
    ap.add_argument("--reference", action="store_true", help="also time the reference evaluator (use at 10k)")
    args = ap.parse_args()
    d = dt.date.fromisoformat(args.as_of)
    policy = load_policy(POLICY)
    one_rule = dataclasses.replace(policy, rules=tuple(r for r in policy.rules if r.id == RULE))

    anon = AnonPeak()
    t_load, data = best_of(1, lambda: read_dataset(args.data, keep_metrics=metrics_used(policy)))
    n = data.employees.height
    print(f"employees {n:,}  metric rows kept {data.metrics.height:,}  events {data.events.height:,}")
    print(f"load (CSV → validated frames)        {t_load:8.3f} s")
    t_all, ev_all = best_of(3, lambda: evaluate(policy, data, d))
    print(f"evaluate whole policy ({len(policy.rules)} rules)       {t_all:8.3f} s")
    t_one, ev_one = best_of(3, lambda: evaluate(one_rule, data, d))
    rss_engine, anon_engine = peak_mb(), anon.mb()  # before DuckDB's copies of the frames
    t_db, db = best_of(3, lambda: run_duckdb(data, d))
    frame = ev_one.results[0].frame
    engine = frame.select(
        "employee_id", "eligible", *[pl.col(f"{cid}|p").alias(col) for col, cid in SAME.items()]
    )
    both = engine.join(db, on="employee_id", how="full", suffix="_db")
    differ = {c: both.filter(pl.col(c).ne_missing(pl.col(f"{c}_db"))).height for c in ["eligible", *SAME]}
    agree = both.height == engine.height == db.height and not any(differ.values())
    passing = ", ".join(f"{SAME[c]} {engine[c].mean():.0%}" for c in SAME)
    print(
        f"evaluate {RULE} (12 criteria) {t_one:8.3f} s   eligible {engine['eligible'].sum():,} / {engine.height:,}"
    )
    print(f"hand-written DuckDB, same criteria    {t_db:8.3f} s   every criterion identical: {agree}")
    print(f"  share passing each criterion: {passing}")
    print(f"ratio engine / DuckDB                 {t_one / t_db:8.2f}×  (target ≤ 1.5×)")
    if args.reference:
        from tests.core.reference import evaluate_reference

        t_ref, _ = best_of(1, lambda: evaluate_reference(one_rule, data, d))
        print(f"reference evaluator (per employee)    {t_ref:8.3f} s")
        print(f"ratio reference / engine              {t_ref / t_one:8.1f}×  (target ≥ 20×)")
    print(
        f"peak memory, load + engine            {anon_engine:8.0f} MB anonymous (target < 6 GB at 1M), "
        f"{rss_engine:.0f} MB RSS with the memory-mapped input files"
    )
    print(f"peak memory (RSS), with DuckDB too    {peak_mb():8.0f} MB")
    if not agree:
        sys.exit(f"engine and DuckDB disagree (rows differing per criterion: {differ})")
    del ev_all


if __name__ == "__main__":
    main()
