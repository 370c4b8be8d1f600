"""Benchmark: a reward run stored on the ledger (read the records from the database, run the plans, insert
the lines in bulk), its approval within budget and the payroll workbook, against `rungs rewards --format
csv` on the same data as files (a whole process).

  python bench/rewards-perf/bench_ledger.py [--n 20000] [--cycle 2026-06] [--postgres [URL]]

Data: bench_rewards.generate (salary-grade-quarterly's plans; N employees, 12 months of commission, CSAT and
resolution rate), loaded into a throwaway database. Checks that the stored lines equal the files' lines.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(Path(__file__).parent)]

from bench.bench_pages import PG_DEFAULT, migrated_database  # noqa: E402
from bench_rewards import POLICY, generate  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=20_000)
    p.add_argument("--cycle", default="2026-06")
    p.add_argument("--postgres", nargs="?", const=PG_DEFAULT, default=None, metavar="URL")
    a = p.parse_args()
    cleanup = migrated_database(a.postgres)

    from rungs.core.interchange.reader import read_dataset
    from rungs.datasets.loader import replace_all
    from rungs.policies.models import Policy
    from rungs.rewards.selectors import payroll_xlsx
    from rungs.rewards.services import reward_run_approve, reward_run_start

    try:
        folder = Path(tempfile.mkdtemp(prefix="rungs-bench-ledger-"))
        generate(a.n, folder)
        t0 = time.perf_counter()
        replace_all(read_dataset(folder))
        print(f"{a.n:,} employees loaded in {time.perf_counter() - t0:.1f} s ({folder})")
        policy = Policy.from_text(POLICY.read_text(encoding="utf-8"), POLICY.name)
        policy.save()

        rungs = Path(sys.executable).with_name("rungs")
        out = folder / "out.csv"
        t0 = time.perf_counter()
        subprocess.run(
            [str(rungs), "rewards", "--policy", str(POLICY), "--data", str(folder), "--cycle", a.cycle,
             "--format", "csv", "-o", str(out)],
            check=True, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        csv_s = time.perf_counter() - t0

        from collections import defaultdict

        from rungs.rewards import runs as ledger_runs

        phases: dict[str, float] = defaultdict(float)

        def timed(name, fn):
            def wrapper(*args, **kw):
                t = time.perf_counter()
                try:
                    return fn(*args, **kw)
                finally:
                    phases[name] += time.perf_counter() - t

            return wrapper

        ledger_runs.database_dataset = timed("read the records", ledger_runs.database_dataset)
        ledger_runs.evaluate = timed("run the plans", ledger_runs.evaluate)
        ledger_runs.store_lines = timed("insert lines and pay changes", ledger_runs.store_lines)
        t0 = time.perf_counter()
        run = reward_run_start(policy=policy, cycle=a.cycle, actor=None)
        run_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            approved = reward_run_approve(run=run, actor=None, plan="commission")
        except Exception as exc:  # noqa: BLE001 — a refusal is a result here
            approved = f"refused: {exc}"
        approve_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        book = payroll_xlsx(a.cycle)
        payroll_s = time.perf_counter() - t0

        files = [
            (r["employee_id"], r["plan"], r["component"], r["amount"])
            for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
            if r.get("record", "line") == "line"
        ]
        stored = [
            (e, pl_, c, f"{amt:.2f}")
            for e, pl_, c, amt in run.lines.order_by("pk").values_list(
                "employee__employee_id", "plan", "component", "amount"
            )
        ]
        engine = "PostgreSQL" if a.postgres else "SQLite"
        print(f"rungs rewards --format csv (whole process) {csv_s:7.2f} s  ({len(files):,} lines)")
        print(f"reward_run_start on {engine:<10}            {run_s:7.2f} s  ({len(stored):,} lines stored)")
        for name, sec in phases.items():
            print(f"  {name:<40} {sec:7.2f} s")
        print(f"approve plan commission                    {approve_s:7.2f} s  ({approved})")
        print(f"payroll workbook                           {payroll_s:7.2f} s  ({len(book):,} bytes)")
        print(
            f"stored / CSV run = {run_s / csv_s:.2f};  lines equal to the fen: {sorted(files) == sorted(stored)}"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
