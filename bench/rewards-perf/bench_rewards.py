"""Benchmark: `run_rewards` on the plans of salary-grade-quarterly against a hand-written Polars program
computing the same lines (the limit), 12 monthly cycles over N employees (default 100,000).

  python bench/rewards-perf/bench_rewards.py [--n 100000] [--data /tmp/rewards-perf-data]

Generates a deterministic data set once (CSV, interchange format: grade-track employees with base_pay,
monthly commission, CSAT and resolution rate for 2026-01..2026-12), then, best of 3 each:
  rungs: read_dataset + run_rewards for each month;   limit: pl.read_csv + the same arithmetic by hand.
Prints both times and ratios (whole: reading included; runs: the 12 runs on frames already in memory
against the limit's arithmetic alone), and checks that both give the same lines to the fen. Last, the issue's
measure: one monthly run as a whole process, `rungs rewards --cycle 2026-06 --format csv` against the limit for
that month, CSV in and CSV out; the last line is `rewards/limit = R`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src")]

from rungs.core.interchange.reader import read_dataset  # noqa: E402
from rungs.core.policy.parse import load_policy  # noqa: E402
from rungs.core.rewards.cycle import parse_cycle  # noqa: E402
from rungs.core.rewards.run import metrics_needed, run_rewards  # noqa: E402

POLICY = ROOT / "examples" / "policies" / "salary-grade-quarterly.yaml"
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
LEVELS = ["probation", "junior", "senior", "expert", "supervisor"]


def generate(n: int, out: Path, seed: int = 20261201) -> None:
    rng = np.random.default_rng(seed)
    ids = np.array([f"E{i:06d}" for i in range(n)])
    dept = np.array([f"D{i // 40:04d}" for i in range(n)])
    level = rng.choice(LEVELS, size=n, p=[0.05, 0.4, 0.3, 0.2, 0.05])
    probation = level == "probation"
    start = np.where(
        probation,
        np.datetime64("2026-01-01") + rng.integers(0, 330, n),
        np.datetime64("2020-01-01") + rng.integers(0, 2100, n),
    ).astype("datetime64[D]")
    pl.DataFrame(
        {
            "employee_id": ids,
            "name": [f"员工{i}" for i in range(n)],
            "hire_date": start,
            "team": [f"{d}-T{i % 3}" for i, d in enumerate(dept)],
            "department": dept,
            "status": np.where(probation, "probation", "regular"),
            "base_pay": (rng.integers(400_000, 1_200_000, n) / 100).round(2),
        }
    ).write_csv(out / "employees.csv")
    pl.DataFrame(
        {"employee_id": ids, "track": "grade", "level": level, "start_date": start, "kind": "hire"}
    ).write_csv(out / "assignments.csv")
    frames = []
    start_month = start.astype("datetime64[M]")
    for month in MONTHS:
        here = start_month <= np.datetime64(month)  # KPIs from the month the employee started
        agents = ids[here & (level != "supervisor")]
        everyone = ids[here]
        k, m = len(agents), len(everyone)
        frames += [
            pl.DataFrame(
                {
                    "employee_id": agents,
                    "period": month,
                    "metric": "commission",
                    "value": (rng.integers(100_000, 1_200_000, k) / 100).round(2),
                }
            ),
            pl.DataFrame(
                {
                    "employee_id": everyone,
                    "period": month,
                    "metric": "csat",
                    "value": (rng.integers(800, 1001, m) / 10).round(1),
                }
            ),
            pl.DataFrame(
                {
                    "employee_id": everyone,
                    "period": month,
                    "metric": "resolution_rate",
                    "value": (rng.integers(80, 101, m) / 100).round(2),
                }
            ),
        ]
    pl.concat(frames).write_csv(out / "metrics.csv")


# ---- the limit: the same plans written by hand ------------------------------------------------------


def half_up(fen: pl.Expr, num: int, den: int) -> pl.Expr:
    return ((fen.cast(pl.Int128) * num * 2 + den) // (2 * den)).cast(pl.Int64)  # amounts are ≥ 0 here


def limit(data: Path, months: list[str] = MONTHS) -> pl.DataFrame:
    emp = pl.read_csv(
        data / "employees.csv",
        columns=["employee_id", "department"],
        schema_overrides={"department": pl.String},
    )
    asg = pl.read_csv(
        data / "assignments.csv", columns=["employee_id", "level", "start_date"], try_parse_dates=True
    )
    # Only the months asked for are parsed into rows (a lazy scan with the filter pushed into the reader).
    met = (
        pl.scan_csv(data / "metrics.csv", schema_overrides={"value": pl.Float64})
        .filter(pl.col("period").is_in(months))
        .collect()
    )
    met = met.with_columns(fen=(pl.col("value") * 100).round(0, mode="half_away_from_zero").cast(pl.Int64))
    wide = met.pivot(on="metric", index=["employee_id", "period"], values=["value", "fen"])
    asg = asg.join(emp, on="employee_id").with_columns(
        start_seq=pl.col("start_date").dt.year().cast(pl.Int32) * 12
        + pl.col("start_date").dt.month().cast(pl.Int32)
        - 1
    )
    out = []
    for month in months:
        y, mo = int(month[:4]), int(month[5:])
        seq = y * 12 + mo - 1
        last = dt.date(y + mo // 12, mo % 12 + 1, 1) - dt.timedelta(days=1)
        w = wide.filter(pl.col("period") == month).drop("period")
        cur = asg.filter(pl.col("start_date") <= last).with_columns(mil=seq - pl.col("start_seq") + 1)
        j = cur.join(w, on="employee_id", how="left")
        c = j.filter(pl.col("level") != "supervisor", pl.col("fen_commission").is_not_null())
        c = c.with_columns(
            amount=pl.when(pl.col("level") != "probation")
            .then(pl.col("fen_commission"))
            .when(pl.col("mil") == 1)
            .then(0)
            .otherwise(half_up(pl.col("fen_commission"), 1, 2))
        ).select("employee_id", pl.lit("commission").alias("plan"), "amount")
        totals = j.group_by("department").agg(pl.col("fen_commission").sum().alias("total"))
        s = j.filter(pl.col("level") == "supervisor").join(totals, on="department")
        s = s.select(
            "employee_id",
            pl.lit("management_bonus").alias("plan"),
            half_up(pl.col("total"), 1, 20).alias("amount"),
        )
        k = j.filter(pl.col("level").is_in(["junior", "senior", "expert"])).with_columns(
            cs=pl.col("value_csat").round(6), rr=pl.col("value_resolution_rate").round(6)
        )
        k = k.select(
            "employee_id",
            pl.lit("kpi_bonus").alias("plan"),
            pl.when((pl.col("cs") >= 95) & (pl.col("rr") >= 0.9))
            .then(80_000)
            .when((pl.col("cs") >= 90) & (pl.col("rr") >= 0.85))
            .then(50_000)
            .when(pl.col("cs") >= 85)
            .then(20_000)
            .otherwise(None)
            .cast(pl.Int64)
            .alias("amount"),
        )
        lines = pl.concat([c, s, k]).filter(pl.col("amount").is_not_null() & (pl.col("amount") != 0))
        out.append(lines.with_columns(cycle=pl.lit(month)))
    return pl.concat(out)


def rungs_runs(policy, data) -> pl.DataFrame:
    out = []
    for month in MONTHS:
        run = run_rewards(policy, data, parse_cycle(month))
        out.append(run.lines.select("employee_id", "plan", "amount").with_columns(cycle=pl.lit(month)))
    return pl.concat(out)


def best(fn, n=3):
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def whole_process(data: Path, month: str, work: Path) -> tuple[float, float, bool]:
    """`rungs rewards --cycle month --format csv` against the limit for that one month, each a whole process
    from start to the last byte written (best of 3, alternating): what a payroll clerk waits for."""
    rungs = [sys.executable, "-m", "rungs.cli", "rewards", "--policy", str(POLICY), "--data", str(data)]
    rungs += ["--cycle", month, "--format", "csv", "-o", str(work / "rungs.csv")]
    lim = [
        sys.executable,
        __file__,
        "--limit-only",
        month,
        "--data-dir",
        str(data),
        "--out",
        str(work / "limit.csv"),
    ]
    times: dict[str, list[float]] = {"rungs": [], "limit": []}
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for _ in range(3):
        for name, cmd in (("limit", lim), ("rungs", rungs)):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - t0)
    mine = pl.read_csv(work / "rungs.csv", infer_schema=False).filter(pl.col("record") == "line")
    mine = mine.select(
        "employee_id", "plan", (pl.col("amount").str.replace(".", "", literal=True)).cast(pl.Int64)
    )
    theirs = pl.read_csv(work / "limit.csv").select("employee_id", "plan", "amount")
    key = ["employee_id", "plan"]
    same = mine.sort(key).equals(theirs.sort(key))
    return min(times["rungs"]), min(times["limit"]), same


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--data", default="/tmp/rewards-perf-data")
    ap.add_argument("--limit-only", default=None, help=argparse.SUPPRESS)  # the limit as its own process
    ap.add_argument("--data-dir", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.limit_only:
        limit(Path(args.data_dir), [args.limit_only]).drop("cycle").write_csv(args.out)
        return
    data = Path(args.data) / f"n{args.n}"
    if not (data / "metrics.csv").exists():
        data.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        generate(args.n, data)
        print(f"generated {data} in {time.perf_counter() - t0:.1f} s")
    policy = load_policy(POLICY)
    keep = metrics_needed(policy)
    t_read, ds = best(lambda: read_dataset(data, keep_metrics=keep))
    t_runs, mine = best(lambda: rungs_runs(policy, ds))
    t_limit, lim = best(lambda: limit(data))
    t_limit_read, _ = best(
        lambda: (
            pl.read_csv(data / "metrics.csv"),
            pl.read_csv(data / "employees.csv"),
            pl.read_csv(data / "assignments.csv"),
        )
    )
    key = ["cycle", "employee_id", "plan"]
    a, b = mine.sort(key), lim.sort(key)
    same = a.height == b.height and a.select(key).equals(b.select(key)) and a["amount"].equals(b["amount"])
    diff = a.join(b, on=key, how="full", suffix="_limit").filter(
        pl.col("amount").ne_missing(pl.col("amount_limit"))
    )
    print(f"lines: rungs {a.height:,}, limit {b.height:,}; same to the fen: {same} ({diff.height} differ)")
    print(f"rungs: read {t_read:.2f} s + 12 runs {t_runs:.2f} s = {t_read + t_runs:.2f} s")
    print(f"limit: {t_limit:.2f} s (of which reading the CSV files ~{t_limit_read:.2f} s)")
    print(f"runs/limit arithmetic = {t_runs / max(t_limit - t_limit_read, 1e-9):.2f}")
    print(
        f"12 cycles in one process: rungs/limit = {(t_read + t_runs) / t_limit:.2f} "
        f"(reading included, {args.n} employees × 12 months)"
    )
    with tempfile.TemporaryDirectory() as work:
        r, lt, one_same = whole_process(data, "2026-06", Path(work))
    print(
        f"one cycle, whole process (rungs rewards --cycle 2026-06 --format csv): rungs {r:.2f} s, limit {lt:.2f} s"
    )
    print(f"same lines to the fen: {one_same}")
    print(
        f"rewards/limit = {r / lt:.2f} (one monthly run, CSV in, CSV out, {args.n} employees, 12 months of KPIs)"
    )
    sys.exit(0 if same and one_same else 1)


if __name__ == "__main__":
    main()
